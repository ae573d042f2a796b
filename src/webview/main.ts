// Entry point of the panel's page: builds the views, keeps the form in the webview state
// (restored after reloads), and talks to the host only through the typed protocol.

import * as l10n from '@vscode/l10n';
import type { FailureActionView, FormValues, HostToWebview, WebviewToHost } from '../shared/protocol';
import { h } from './dom';
import { FormView } from './form';
import { CandidatesView } from './candidatesView';
import { GalleryView } from './galleryView';
import { ServerPicker } from './serverPicker';
import { ProgressView } from './progressView';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  form: FormValues;
}

// The host puts VS Code's translations into the page; they must be loaded before any view is built.
l10n.config({ contents: JSON.parse(document.getElementById('l10n-bundle')?.textContent || '{}') as l10n.l10nJsonFormat });

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost) => vscode.postMessage(message);
const restored = vscode.getState() !== undefined;

const banner = h('div', { class: 'banner', id: 'banner', role: 'alert', hidden: true });
let formStateTimer: ReturnType<typeof setTimeout> | undefined;
const form = new FormView({
  onChange: (values) => {
    vscode.setState({ form: values } satisfies SavedState);
    // The host keeps a copy too: webview state alone was seen lost across a window reload.
    clearTimeout(formStateTimer);
    formStateTimer = setTimeout(() => post({ type: 'formState', form: values }), 300);
  },
  onSubmit: (values, painted) => {
    hideBanner();
    post({ type: 'generate', form: values, ...painted });
  },
  onNeedSourceData: () => post({ type: 'sourceData' }),
  onPickControlImage: (unit) => post({ type: 'pickControlImage', unit }),
  onDropControlImage: (unit, path) => post({ type: 'setControlImage', unit, path }),
  onSelectModel: (title) => post({ type: 'selectModel', title }),
  onRefreshServer: () => post({ type: 'refreshServer' }),
  onPickSource: () => post({ type: 'pickSource' }),
  onDropSource: (path) => post({ type: 'setSource', path }),
  onClearSource: () => post({ type: 'clearSource' }),
});
const progress = new ProgressView((jobId) => post({ type: 'cancel', jobId }));
const serverPicker = new ServerPicker((choice) => post('pool' in choice ? { type: 'usePool' } : { type: 'selectServer', name: choice.name }));
const gallery = new GalleryView({ onAction: (action, id) => post({ type: 'galleryAction', action, id }) });

const candidates = new CandidatesView({
  onPick: (offerId, index) => post({ type: 'pickCandidate', offerId, index }),
  onDismiss: (offerId) => post({ type: 'dismissCandidates', offerId }),
});

// Busy until the host's first message fills the form (assistive tech and tests wait for it).
const main = h(
  'main',
  { class: 'studio', 'aria-busy': 'true' },
  h('h1', { class: 'visually-hidden', text: l10n.t('Stable Diffusion image generation') }),
  h('div', { class: 'form-column' }, banner, serverPicker.element, form.element),
  h('div', { class: 'output-column' }, progress.element, candidates.element, gallery.element),
);
document.getElementById('app')!.replaceChildren(main);

/** The failure's sentence with the same buttons a notification offers (the host decides which). */
function showBanner(message: string, actions: readonly FailureActionView[]): void {
  const children: Node[] = [h('p', { text: message })];
  const buttons = h('div', { class: 'row' });
  for (const action of actions) {
    const button = h('button', { type: 'button', class: 'secondary small', text: action.label });
    button.addEventListener('click', () => post({ type: 'failureAction', id: action.id }));
    buttons.append(button);
  }
  const close = h('button', { type: 'button', class: 'secondary small', text: l10n.t('Dismiss') });
  close.addEventListener('click', hideBanner);
  buttons.append(close);
  children.push(buttons);
  banner.replaceChildren(...children);
  banner.hidden = false;
}

function hideBanner(): void {
  banner.hidden = true;
}

// Messages that arrive before `init` (the page reloaded while the host was posting: webview
// options changed, a hidden panel shown again) wait for it: handled first, a `source` would fill
// an empty form and the empty form would be kept as the state `init` restores from.
let beforeInit: HostToWebview[] | undefined = [];
window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (beforeInit && message.type !== 'init') {
    beforeInit.push(message);
    return;
  }
  handle(message);
  if (message.type === 'init' && beforeInit) {
    const early = beforeInit;
    beforeInit = undefined;
    early.forEach(handle);
  }
});

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init': {
      // A reload or a re-shown panel keeps what the user typed; defaults only fill a new form.
      const values = (vscode.getState() as SavedState | undefined)?.form ?? message.savedForm ?? message.defaults;
      form.setValues({ ...message.defaults, ...values, ...message.prefill });
      form.setServer(message.server);
      serverPicker.render(message.server);
      gallery.render(message.gallery);
      form.setLastSeed(message.gallery.find((item) => item.seed !== undefined)?.seed);
      progress.setJobs(message.jobs);
      form.setBusy(message.jobs.length > 0);
      vscode.setState({ form: form.values() } satisfies SavedState);
      main.setAttribute('aria-busy', 'false');
      if (!restored || message.prefill) form.focusPrompt();
      break;
    }
    case 'server':
      form.setServer(message.server); // a failure to reach it comes as an 'error' message
      serverPicker.render(message.server);
      break;
    case 'jobs':
      progress.setJobs(message.jobs);
      form.setBusy(message.jobs.length > 0);
      break;
    case 'progress':
      progress.update(message.jobId, message.message, message.fraction, message.preview);
      break;
    case 'finished':
      if (message.outcome === 'cancelled') progress.update(message.jobId, l10n.t('Cancelled.'));
      break;
    case 'gallery':
      gallery.render(message.items);
      form.setLastSeed(message.items.find((item) => item.seed !== undefined)?.seed);
      break;
    case 'source':
      form.setSource(message.source);
      break;
    case 'sourceData':
      form.receiveSourceData(message.path, message.src);
      break;
    case 'controlImage':
      form.receiveControlImage(message.unit, message.image);
      break;
    case 'fieldErrors':
      form.showErrors(message.errors);
      break;
    case 'error':
      showBanner(message.message, message.actions);
      break;
    case 'prefill':
      form.patch(message.values);
      form.focusPrompt();
      break;
    case 'candidates':
      candidates.render(message.offers);
      break;
  }
}

post({ type: 'ready' });
