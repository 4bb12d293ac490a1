// Export progress page: poll the job's JSON every 1.5 s and move the bar; without JS the
// page refreshes itself (a <noscript> meta refresh) and shows the same thing.
const card = document.querySelector('[data-export]');

function show(job) {
  const bar = document.getElementById('export-progress');
  bar.value = job.progress;
  bar.textContent = `${job.progress} %`;
  card.querySelector('[data-export-percent]').textContent = job.progress;
  const label = card.dataset[`label${job.status[0].toUpperCase()}${job.status.slice(1)}`];
  card.querySelector('[data-export-status]').textContent = label || job.status;
  if (job.status === 'done') {
    card.querySelector('[data-export-ready]').hidden = false;
  }
  if (job.status === 'failed') {
    const error = card.querySelector('[data-export-error]');
    error.textContent = job.error || '';
    error.hidden = false;
  }
  const finished = job.status === 'done' || job.status === 'failed';
  const hint = card.querySelector('[data-export-hint]');
  if (finished && hint) hint.hidden = true;
  return finished;
}

async function poll() {
  try {
    const response = await fetch(card.dataset.export, {
      headers: {Accept: 'application/json'}, credentials: 'same-origin', cache: 'no-store'});
    if (response.ok && show(await response.json())) return;
  } catch (error) {
    // Offline for a moment: keep trying, the job runs on the server regardless.
  }
  setTimeout(poll, 1500);
}

if (card && !card.querySelector('[data-export-ready]:not([hidden])')) {
  setTimeout(poll, 500);
}
