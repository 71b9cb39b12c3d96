// The dashboard's shell: the path names the page (each has its own URL), links change it without a reload,
// and a sign-in prompt appears whenever the API asks for its token.
import { onSignInNeeded, setToken, token } from './api.js';
import { workflowList } from './list.js';
import { workflowDetail } from './detail.js';
import { schedules, hardware, hardwareRecord, validate } from './pages.js';

const routes = [
  [/^\/$/, 'workflows', () => workflowList],
  [/^\/workflows\/([^/]+)$/, 'workflows', () => workflowDetail],
  [/^\/schedules$/, 'schedules', () => schedules],
  [/^\/hardware$/, 'hardware', () => hardware],
  [/^\/hardware\/([^/]+)$/, 'hardware', () => hardwareRecord],
  [/^\/validate$/, 'validate', () => validate],
];

let cleanup = null;

async function show() {
  cleanup?.();
  cleanup = null;
  const main = document.getElementById('main');
  const path = location.pathname;
  for (const [pattern, section, page] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    for (const a of document.querySelectorAll('[data-nav]')) {
      if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    main.replaceChildren();
    cleanup = await page()(main, ...match.slice(1).map(decodeURIComponent)) ?? null;
    return;
  }
  main.textContent = 'No such page.';
}

export function navigate(href) {
  history.pushState(null, '', href);
  show();
}

document.addEventListener('click', e => {
  const a = e.target.closest?.('a[href]');
  if (!a || a.origin !== location.origin || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
  document.getElementById('main').focus({ preventScroll: true });
});
window.addEventListener('popstate', show);

// One prompt at a time; every caller waiting for a token resumes when it is entered.
let pending = null;
onSignInNeeded(message => {
  if (pending) return pending;
  const dialog = document.getElementById('sign-in');
  const error = document.getElementById('sign-in-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  const input = document.getElementById('token');
  input.value = '';
  pending = new Promise(resolve => {
    dialog.addEventListener('close', () => {
      setToken(input.value.trim());
      updateSignOut();
      pending = null;
      resolve();
    }, { once: true });
  });
  dialog.showModal();
  input.focus();
  return pending;
});

function updateSignOut() { document.getElementById('sign-out').hidden = !token(); }
document.getElementById('sign-out').addEventListener('click', () => { setToken(null); updateSignOut(); show(); });
document.getElementById('sign-in').addEventListener('cancel', e => e.preventDefault());
updateSignOut();
show();
