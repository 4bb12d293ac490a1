// Searchable person selects of the admin pages: a search box above each
// <select> narrows its options to those whose text (name, NIP, position) has a
// word starting with each typed word ("atasan b", "1977"), and picks the first
// match. Without JS the plain select works.
function words(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
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
      const own = words(choice.textContent);
      const shown = wanted.every((word) => own.some((part) => part.startsWith(word)));
      choice.hidden = !shown;
      choice.disabled = !shown;
      if (shown && !first) first = choice;
    }
    const chosen = select.selectedOptions[0];
    if (first && (!chosen || !chosen.value || chosen.hidden)) select.value = first.value;
  });
}

document.querySelectorAll('[data-filter-for]').forEach(wire);
