/**
 * Entry of `auth-callback.html`, the popup login's redirect URI: hands the answer (`?code&state` or
 * `#access_token&state`) to the page that opened the popup — posted to this page's own origin only — and closes.
 * @packageDocumentation
 */
import './page.css';
import { popupCallback } from '@kaa/genesys-adapter';

if (!popupCallback()) {
  const p = document.getElementById('kaa-callback-status');
  if (p)
    p.textContent =
      'This window finishes the Genesys Cloud sign-in of the Agent AI assistant. It was opened without its widget (or the login page cut the link to it); close it and press "Sign in" in the widget again.';
}
