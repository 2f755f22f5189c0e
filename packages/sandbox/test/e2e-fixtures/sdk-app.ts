// A client app built on Genesys's own Client App SDK, configured as Genesys documents it: from the gcHostOrigin and
// gcTargetEnv query parameters. It logs each hook and answers bootstrap and stop.
import ClientApp from 'purecloud-client-app-sdk';

const log: string[] = [];
(window as unknown as { __hooks: string[]; __error?: string }).__hooks = log;
try {
  const app = new ClientApp({ gcHostOriginQueryParam: 'gcHostOrigin', gcTargetEnvQueryParam: 'gcTargetEnv' });
  app.lifecycle.addBootstrapListener(() => {
    log.push('bootstrap');
    app.lifecycle.bootstrapped();
  });
  app.lifecycle.addFocusListener(() => void log.push('focus'));
  app.lifecycle.addBlurListener(() => void log.push('blur'));
  app.lifecycle.addStopListener(() => {
    log.push('stop');
    app.lifecycle.stopped();
  });
} catch (e) {
  (window as unknown as { __error?: string }).__error = String(e);
}
