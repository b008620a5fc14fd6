// The search page: Pagefind's static index, queried in the browser. No request leaves the site.
const base = document.documentElement.dataset.base || "/";
const form = document.querySelector(".search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
let pagefind = null;

async function engine() {
  if (!pagefind) {
    pagefind = await import(base + "pagefind/pagefind.js");
    await pagefind.options({ baseUrl: base });
  }
  return pagefind;
}

function item(data) {
  // Point at the most precise place: a fact box or section when Pagefind found one.
  const best = (data.sub_results || []).find((sub) => sub.url.includes("#")) || data;
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = best.url;
  link.textContent = data.meta && data.meta.title ? data.meta.title : data.url;
  const where = document.createElement("span");
  where.className = "search-where";
  if (best !== data && best.title) { where.textContent = " · " + best.title; }
  const excerpt = document.createElement("p");
  // Pagefind's excerpt is text it escaped itself, with <mark> around the matches.
  excerpt.innerHTML = best.excerpt || data.excerpt || "";
  li.append(link, where, excerpt);
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = "Type a word or a name."; return; }
  status.textContent = "Searching…";
  try {
    const found = await (await engine()).search(query);
    const data = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
    list.replaceChildren(...data.map(item));
    status.textContent = found.results.length
      ? `${found.results.length} page${found.results.length === 1 ? "" : "s"} found for “${query}”.`
      : `Nothing found for “${query}”.`;
  } catch (problem) {
    status.textContent = "The search index could not be loaded.";
  }
}

const query = new URLSearchParams(location.search).get("q") || "";
input.value = query;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  run(input.value);
});
if (query) { run(query); } else { status.textContent = "Type a word or a name."; }
