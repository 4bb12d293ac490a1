// Supervisor picker of the person form (/admin/pegawai/...): as the administrator types a
// name or NIP, offer the organisation's active people matching it as "NIP — name" in the
// field's <datalist>. Without JS the field still takes a NIP typed in full.
const input = document.getElementById('supervisor');
const list = document.getElementById('supervisor-options');
let timer = null;
let asked = '';

async function search(text) {
  const url = `/api/v1/people?active=true&per_page=20&q=${encodeURIComponent(text)}`;
  const response = await fetch(url, {headers: {Accept: 'application/json'},
                                     credentials: 'same-origin'});
  if (!response.ok || text !== asked) return;
  const found = await response.json();
  list.replaceChildren(...found.items.map((person) => {
    const option = document.createElement('option');
    option.value = `${person.nip} — ${person.name}`;
    option.label = person.jabatan;
    return option;
  }));
}

if (input && list) {
  input.addEventListener('input', () => {
    const text = input.value.trim();
    // A choice from the list ("NIP — name") needs no new search.
    if (text.length < 2 || /^\d{18} — /.test(text)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      asked = text;
      search(text).catch(() => {});
    }, 250);
  });
}
