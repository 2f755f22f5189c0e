// The same client app on kaa's lifecycle module (genesys-adapter), trusting the desktop origin from gcHostOrigin as
// kaa's page does once it knows the environment.
import { createClientAppLifecycle } from '@kaa/genesys-adapter';

const log: string[] = [];
(window as unknown as { __hooks: string[] }).__hooks = log;
const lifecycle = createClientAppLifecycle({
  host: window.parent,
  listen: (handler) => {
    const listener = (event: MessageEvent) => handler(event);
    window.addEventListener('message', listener);
    return () => window.removeEventListener('message', listener);
  },
  trustedOrigins: [new URLSearchParams(location.search).get('gcHostOrigin') ?? ''],
});
lifecycle.on('bootstrap', () => {
  log.push('bootstrap');
  lifecycle.ready();
});
lifecycle.on('focus', () => void log.push('focus'));
lifecycle.on('blur', () => void log.push('blur'));
lifecycle.on('stop', () => {
  log.push('stop');
  lifecycle.stopped();
});
