import { KaaError, toKaaError } from '@kaa/core';
import type { PageSecrets } from './secrets.js';
import type { Timeline } from './timeline.js';

/** What the step names mean to an admin (KaaError `step` → heading). */
const STEP_HEADING: Readonly<Record<string, string>> = {
  parameters: 'The Interaction Widget URL is not right',
  environment: 'The Genesys Cloud region could not be determined',
  login: 'Signing in to Genesys Cloud failed',
  conversation: 'The conversation could not be read',
  queue: 'The queue of this interaction is unknown',
  'bot table': 'No bot could be chosen for this queue',
  token: 'The widget token could not be created',
  widget: 'The Agent AI widget could not be shown',
  'live events': 'Live updates stopped',
  network: 'A service did not answer as expected',
  configuration: 'The page configuration is not right',
  internal: 'Something unexpected went wrong in kaa',
};

/**
 * The page's visible surface: a status line, the error panel, notices, the widget container and — with
 * `?debug=1` — the timeline. Every text written here is redacted first.
 *
 * @example
 * ```ts
 * const screen = createScreen(document, secrets);
 * screen.status('Signing in…');
 * screen.fail(error); // never a blank iframe
 * ```
 */
export interface Screen {
  readonly widgetContainer: HTMLElement;
  status(text: string): void;
  notice(text: string): void;
  /** Shows the error panel: the step, what failed and what to change. Returns the KaaError shown. */
  fail(error: unknown): KaaError;
  /** A button the agent must press (popup login needs a user gesture). Resolves on click. */
  askToClick(label: string, explanation: string): Promise<void>;
  showTimeline(timeline: Timeline): void;
}

/**
 * Binds the {@link Screen} to the elements of `index.html`.
 *
 * @example
 * ```ts
 * const screen = createScreen(document, createPageSecrets());
 * ```
 */
export function createScreen(doc: Document, secrets: PageSecrets): Screen {
  const el = (id: string): HTMLElement => {
    const found = doc.getElementById(id);
    if (found) return found;
    const made = doc.createElement('div');
    made.id = id;
    doc.body.append(made);
    return made;
  };
  const statusEl = el('kaa-status');
  const errorEl = el('kaa-error');
  const noticeEl = el('kaa-notice');
  const widgetEl = el('kaa-widget');
  const actionEl = el('kaa-action');
  const timelineEl = el('kaa-timeline');

  const text = (value: string) => secrets.redact(value);

  return {
    widgetContainer: widgetEl,
    status(value) {
      statusEl.textContent = text(value);
      statusEl.hidden = value === '';
    },
    notice(value) {
      const p = doc.createElement('p');
      p.textContent = text(value);
      noticeEl.append(p);
      noticeEl.hidden = false;
    },
    fail(error) {
      const e = toKaaError(
        error,
        'E_INTERNAL',
        'kaa hit an unexpected error. Reload the interaction; if it repeats, open it with ?debug=1 and send the timeline to your kaa administrator.',
      );
      const heading = doc.createElement('h2');
      heading.textContent = STEP_HEADING[e.step] ?? 'kaa could not start';
      const step = doc.createElement('p');
      step.className = 'kaa-step';
      step.textContent = `Step: ${e.step} · Code: ${e.code}`;
      const message = doc.createElement('p');
      message.className = 'kaa-message';
      message.textContent = text(e.message);
      errorEl.replaceChildren(heading, step, message);
      errorEl.dataset['code'] = e.code;
      errorEl.dataset['step'] = e.step;
      errorEl.hidden = false;
      statusEl.hidden = true;
      return e;
    },
    askToClick(label, explanation) {
      return new Promise((resolve) => {
        const p = doc.createElement('p');
        p.textContent = text(explanation);
        const button = doc.createElement('button');
        button.type = 'button';
        button.textContent = label;
        button.addEventListener(
          'click',
          () => {
            actionEl.replaceChildren();
            actionEl.hidden = true;
            resolve();
          },
          { once: true },
        );
        actionEl.replaceChildren(p, button);
        actionEl.hidden = false;
      });
    },
    showTimeline(timeline) {
      const render = () => {
        timelineEl.replaceChildren(
          ...timeline.entries().map((entry) => {
            const li = doc.createElement('li');
            li.dataset['outcome'] = entry.outcome;
            const ms = entry.durationMs === undefined ? '…' : `${entry.durationMs.toFixed(1)} ms`;
            li.textContent = text(`${entry.step} — ${entry.outcome} — ${ms}${entry.note ? ` — ${entry.note}` : ''}`);
            return li;
          }),
        );
      };
      timelineEl.hidden = false;
      timeline.onChange(render);
      render();
    },
  };
}
