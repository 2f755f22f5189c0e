/**
 * The HTML and CSS of the stand-in Agent AI widget. No inline script or style: the page loads
 * `agentassist-stand-in.js` and `agentassist-stand-in.css` from the same folder, under a strict CSP.
 */

/** File names of the widget's assets, next to `agentassist-iframe.html`. */
export const WIDGET_SCRIPT_FILE = 'agentassist-stand-in.js';
export const WIDGET_STYLE_FILE = 'agentassist-stand-in.css';

/**
 * The CSP of the widget page: scripts and styles from its own origin only; network calls to its own origin
 * and to any local sandbox origin (the `agentassisturl` the host passes); framing allowed from anywhere,
 * as the real widget is framed by third-party pages.
 */
export const WIDGET_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' http://127.0.0.1:*; img-src 'self' data:; frame-ancestors *; base-uri 'none'; form-action 'none'";

/**
 * The widget page's HTML.
 *
 * @example
 * ```ts
 * widgetHtml().includes('agentassist-stand-in.js'); // true
 * ```
 */
export function widgetHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agent AI (sandbox stand-in)</title>
<link rel="stylesheet" href="${WIDGET_STYLE_FILE}">
<script src="${WIDGET_SCRIPT_FILE}" defer></script>
</head>
<body>
<header><strong>Agent AI</strong> <small>sandbox stand-in</small> <span id="status" data-status="booting">booting</span></header>
<p id="error" role="alert" hidden></p>
<dl>
  <dt>Bot id</dt><dd id="bot-id">—</dd>
  <dt>Bot name</dt><dd id="bot-name">—</dd>
  <dt>Conversation</dt><dd id="conversation-id">—</dd>
  <dt>Language</dt><dd id="language">—</dd>
  <dt>Channel</dt><dd id="channel">—</dd>
  <dt>Agent</dt><dd id="agent">—</dd>
  <dt>Customer</dt><dd id="user">—</dd>
  <dt>Custom data</dt><dd><pre id="custom-data">—</pre></dd>
  <dt>Secure custom data (decrypted)</dt><dd><pre id="secure-custom-data">—</pre></dd>
</dl>
<h2>Transcript</h2>
<ol id="transcript"></ol>
<h2>Events</h2>
<ol id="lifecycle"></ol>
<form id="send-form"><input id="send-text" placeholder="Suggested reply" autocomplete="off"><button id="send" type="submit" disabled>Send</button></form>
</body>
</html>
`;
}

/** The widget's stylesheet. */
export function widgetCss(): string {
  return `body{font:13px/1.4 system-ui,sans-serif;margin:0;padding:8px;color:#1d2733;background:#f7f9fb}
header{display:flex;gap:6px;align-items:baseline;border-bottom:1px solid #d5dde5;padding-bottom:6px}
#status{margin-left:auto;padding:1px 8px;border-radius:9px;background:#ccd}
#status[data-status=connected]{background:#bfe8c5}#status[data-status=error],#status[data-status=refused]{background:#f6c4c4}
#error{background:#fde8e8;border:1px solid #e59b9b;padding:6px;border-radius:4px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px}dt{font-weight:600}dd{margin:0}pre{margin:0;white-space:pre-wrap}
h2{font-size:13px;margin:10px 0 4px}ol{margin:0;padding-left:20px}form{display:flex;gap:4px;margin-top:8px}input{flex:1}
`;
}
