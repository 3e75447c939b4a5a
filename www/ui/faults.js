// The page under faults: when the analysis worker crashes (a panic in the core, or out
// of memory) the Engine replaces it; this notice says what happened. The results on the
// page are those of the last successful analysis and stay as they are.
// Messages reach the DOM as text only.

/** Shows `err` ({kind, message}) in the #fault-notice section. */
export function showFault(err) {
  const box = document.getElementById('fault-notice');
  if (!box) return;
  box.querySelector('.fault-message').textContent = err?.message || String(err);
  box.querySelector('.fault-kind').textContent = err?.kind || 'error';
  box.hidden = false;
}

/** Wires the notice to `engine` (its `onfault`) and its close button. */
export function installFaultNotice(engine) {
  const box = document.getElementById('fault-notice');
  engine.onfault = (err) => { if (err?.kind !== 'cancelled') showFault(err); };
  box?.querySelector('button')?.addEventListener('click', () => { box.hidden = true; });
}
