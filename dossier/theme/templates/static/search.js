// The search page: Pagefind's static indexes, one per shard, merged in the browser into one ranked
// list (Pagefind's multisite API). No request leaves the site.
const base = document.documentElement.dataset.base || "/";
const form = document.querySelector(".search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const filterBox = document.getElementById("search-filters");
const selects = Array.from(document.querySelectorAll("select[data-filter]"));
const KINDS = { source: "Source", fact: "Fact", note: "Note", topic: "Topic", claim: "Claim" };
const SHOWN = 20;
let loading = null;

async function start() {
  // The shards are listed by the build; the first brings Pagefind's code, the others merge into it.
  const manifest = await (await fetch(base + "pagefind/shards.json")).json();
  const [first, ...others] = manifest.shards;
  const pagefind = await import(base + "pagefind/" + first + "/pagefind.js");
  await pagefind.options({ baseUrl: base });
  await Promise.all(others.map((name) => pagefind.mergeIndex(base + "pagefind/" + name + "/", { baseUrl: base })));
  return pagefind;
}

function engine() {
  if (!loading) { loading = start(); }
  return loading;
}

const PART = /#h-(fact|note)-/;

function partKind(url) {
  // A fact box's or note's heading has the id "h-" + its anchor: link to the box itself.
  const found = PART.exec(url);
  return found ? found[1] : "source";
}

function places(data, kind) {
  // The parts of a page that matched: a source page's fact boxes, notes, commentary or report
  // (Pagefind's sub-results, split at headings with ids), narrowed to the kind asked for.
  const subs = (data.sub_results || []).filter((sub) => sub.url.includes("#"));
  if (!subs.length) { return [{ url: data.url, title: "", excerpt: data.excerpt, kind: "" }]; }
  const found = subs.map((sub) => ({ url: sub.url.replace(PART, "#$1-"), title: sub.title, excerpt: sub.excerpt, kind: partKind(sub.url) }));
  return (kind === "fact" || kind === "note" || kind === "source") ? found.filter((p) => p.kind === kind) : found;
}

function item(data, kind) {
  const shown = places(data, kind);
  if (!shown.length) { return null; }
  const li = document.createElement("li");
  const pageKind = ((data.filters || {}).kind || []).includes("source") ? "source" : ((data.filters || {}).kind || [])[0];
  const label = document.createElement("span");
  label.className = "search-kind";
  label.textContent = KINDS[pageKind] || "Page";
  const link = document.createElement("a");
  link.href = shown.length === 1 ? shown[0].url : data.url;
  link.textContent = data.meta && data.meta.title ? data.meta.title : data.url;
  const where = document.createElement("span");
  where.className = "search-where";
  const outlet = ((data.filters || {}).outlet || [])[0];
  where.textContent = outlet ? " · " + outlet : "";
  li.append(label, link, where);
  li.append(...(shown.length === 1 ? [excerpt(shown[0])] : [parts(shown)]));
  return li;
}

function excerpt(place) {
  const p = document.createElement("p");
  // Pagefind's excerpt is text it escaped itself, with <mark> around the matches.
  p.innerHTML = place.excerpt || "";
  if (place.kind === "fact" || place.kind === "note") { p.prepend(KINDS[place.kind] + ": "); }
  return p;
}

function parts(shown) {
  const ul = document.createElement("ul");
  ul.className = "search-parts";
  for (const place of shown) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = place.url;
    link.textContent = (place.kind === "fact" || place.kind === "note" ? KINDS[place.kind] + ": " : "") + (place.title || "");
    li.append(link, excerpt({ ...place, kind: "" }));
    ul.append(li);
  }
  return ul;
}

function chosen() {
  const filters = {};
  for (const select of selects) {
    if (select.value) { filters[select.dataset.filter] = select.value; }
  }
  return filters;
}

function describe(query, count) {
  const what = query.trim() ? `for “${query}”` : "with these filters";
  const narrowed = Object.keys(chosen()).length ? " (filtered)" : "";
  return count
    ? `${count} page${count === 1 ? "" : "s"} found ${what}${narrowed}${count > SHOWN ? `; the first ${SHOWN} are shown` : ""}.`
    : `Nothing found ${what}${narrowed}.`;
}

async function run(query) {
  list.replaceChildren();
  const filters = chosen();
  if (!query.trim() && !Object.keys(filters).length) { status.textContent = "Type a word or a name."; return; }
  status.textContent = "Searching…";
  try {
    const pagefind = await engine();
    const found = await pagefind.search(query.trim() || null, { filters });
    const data = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
    list.replaceChildren(...data.map((d) => item(d, filters.kind)).filter(Boolean));
    status.textContent = describe(query, found.results.length);
  } catch (problem) {
    status.textContent = "The search index could not be loaded.";
  }
  showFilters();
}

function fill(select, counts) {
  const keep = select.value;
  const names = Object.keys(counts || {}).sort((a, b) => a.localeCompare(b));
  const label = (name) => (select.dataset.filter === "kind" ? KINDS[name] || name : name);
  const options = names.map((name) => new Option(`${label(name)} (${counts[name]})`, name));
  select.replaceChildren(new Option("Any", ""), ...options);
  select.value = names.includes(keep) ? keep : "";
}

let filtersShown = null;
function showFilters() {
  // Loaded after the first results are on screen: the filters' data is not needed to show them.
  if (filtersShown) { return; }
  filtersShown = engine().then((pagefind) => pagefind.filters()).then((counts) => {
    const wanted = new URLSearchParams(location.search);
    for (const select of selects) {
      select.value = wanted.get(select.name) || "";
      fill(select, counts[select.dataset.filter]);
    }
    filterBox.hidden = false;
  }).catch(() => { filtersShown = null; });
}

function remember() {
  const params = new URLSearchParams({ q: input.value });
  for (const [name, value] of Object.entries(chosen())) { params.set(name, value); }
  history.replaceState(null, "", "?" + params.toString());
}

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const select of selects) {
  const value = params.get(select.name);
  if (value) { select.replaceChildren(new Option("Any", ""), new Option(value, value)); select.value = value; }
  select.addEventListener("change", () => { remember(); run(input.value); });
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  remember();
  run(input.value);
});
if (input.value || Object.keys(chosen()).length) { run(input.value); } else { status.textContent = "Type a word or a name."; showFilters(); }
