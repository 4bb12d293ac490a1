// Import progress: poll the job's JSON every 1.5 s and move the bar (as export-progress.js
// does); once the job has ended, load the page again to show its preview or result. Without
// JS the page refreshes itself (a <noscript> meta refresh).
const card = document.querySelector('[data-import]');

function show(job) {
  const bar = document.getElementById('import-progress');
  bar.value = job.progress;
  bar.textContent = `${job.progress} %`;
  card.querySelector('[data-import-percent]').textContent = job.progress;
  return job.status === 'done' || job.status === 'failed';
}

async function poll() {
  try {
    const response = await fetch(card.dataset.import, {
      headers: {Accept: 'application/json'}, credentials: 'same-origin', cache: 'no-store'});
    if (response.ok && show(await response.json())) {
      window.location.reload();
      return;
    }
  } catch (error) {
    // Offline for a moment: keep trying, the job runs on the server regardless.
  }
  setTimeout(poll, 1500);
}

if (card) setTimeout(poll, 500);
