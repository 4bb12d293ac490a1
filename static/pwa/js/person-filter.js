// Searchable person selects of the admin pages: a search box above each
// <select> narrows its options to those whose text (name, NIP, position) holds
// every typed word, and picks the first match. Without JS the plain select works.
function words(text) {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

function wire(search) {
  const select = document.getElementById(search.dataset.filterFor);
  if (!select) return;
  const options = [...select.options].filter((choice) => choice.value);
  search.closest('[data-person-filter]').hidden = false;
  search.addEventListener('input', () => {
    const wanted = words(search.value);
    let first = null;
    for (const choice of options) {
      const text = choice.textContent.toLowerCase();
      const shown = wanted.every((word) => text.includes(word));
      choice.hidden = !shown;
      choice.disabled = !shown;
      if (shown && !first) first = choice;
    }
    const chosen = select.selectedOptions[0];
    if (first && (!chosen || !chosen.value || chosen.hidden)) select.value = first.value;
  });
}

document.querySelectorAll('[data-filter-for]').forEach(wire);
