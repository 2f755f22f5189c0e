/**
 * The HTML and CSS of the sandbox agent desktop. No inline script or style (CSP `script-src 'self'`).
 */

/**
 * The desktop's CSP: own scripts and styles; calls to its own origin and the Genesys API origin; frames from
 * any local origin or https (the Interaction Widget).
 */
export function desktopCsp(apiOrigin: string): string {
  return `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ${apiOrigin}; frame-src http://127.0.0.1:* http://localhost:* https:; img-src 'self' data:; base-uri 'none'; form-action 'none'`;
}

/**
 * The desktop page's HTML.
 *
 * @example
 * ```ts
 * desktopHtml().includes('/desktop/app.js'); // true
 * ```
 */
export function desktopHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Agent desktop (kaa sandbox)</title>
<link rel="stylesheet" href="/desktop/app.css">
<script src="/desktop/app.js" defer></script>
</head>
<body>
<header><strong>Genesys Cloud</strong> <small>sandbox agent desktop</small><span class="grow"></span>Signed in: <span id="agent">…</span> · <span id="connection">connecting…</span></header>
<main>
<aside>
<h2>Interactions</h2>
<ul id="interactions"></ul>
<form id="new-form"><select id="new-media"><option value="call">call</option><option value="message">message</option></select><select id="new-queue"></select><button type="submit">New interaction</button></form>
</aside>
<section>
<h2 id="detail-title">Select an interaction</h2>
<ul id="participants"></ul>
<div id="actions">
<button type="button" data-action="answer" disabled>Answer</button>
<button type="button" data-action="hold" disabled>Hold</button>
<button type="button" data-action="resume" disabled>Resume</button>
<button type="button" data-action="transferCold" disabled>Cold transfer</button>
<button type="button" data-action="transferWarm" disabled>Warm transfer</button>
<button type="button" data-action="completeWarm" disabled>Complete warm transfer</button>
<button type="button" data-action="disconnect" disabled>Disconnect</button>
<button type="button" data-action="end" disabled>End</button>
<button type="button" id="play-transcript" disabled>Play transcript</button>
<button type="button" id="close-widget" disabled>Close widget</button>
<form id="message-form"><input id="message-text" placeholder="Customer message" autocomplete="off"><button type="submit" disabled>Send as customer</button></form>
</div>
<p id="action-status" role="status"></p>
<div id="widgets"></div>
</section>
</main>
</body>
</html>
`;
}

/** The desktop's stylesheet. */
export function desktopCss(): string {
  return `body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1d2733;background:#eef1f4}
header{display:flex;gap:8px;align-items:baseline;padding:8px 14px;background:#23395d;color:#fff}.grow{flex:1}
main{display:grid;grid-template-columns:320px 1fr;gap:12px;padding:12px}
aside,section{background:#fff;border-radius:6px;padding:10px;box-shadow:0 1px 2px #0002}
h2{font-size:15px;margin:0 0 8px}ul{list-style:none;margin:0 0 8px;padding:0}
#interactions button{width:100%;text-align:left;padding:6px;margin:2px 0;border:1px solid #ccd5df;background:#f7f9fb;border-radius:4px;cursor:pointer}
#interactions li[aria-current] button{border-color:#23395d;background:#dfe8f5}
#interactions li[data-state=ended] button{color:#889}
#actions{display:flex;flex-wrap:wrap;gap:4px;margin:8px 0}#message-form{display:flex;gap:4px}
#action-status[data-error=true]{color:#b00}
#widgets iframe{width:100%;height:560px;border:1px solid #ccd5df;border-radius:4px;background:#fff}
#widgets iframe[data-lifecycle=bootstrapping]{visibility:hidden}
`;
}
