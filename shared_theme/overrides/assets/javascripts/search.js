/* Search of a trangtin site, for readers who type Vietnamese without diacritics.
 * Loaded only by the search page (tim-kiem/). Reads search.json, written at build time with
 * the folded words of every page; the matching rules are those of trangtin/site/search.py. */
(function () {
  "use strict";

  var TITLE_WEIGHT = 4, WORD_WEIGHT = 1, PHRASE_BONUS = 10, EXACT_BONUS = 1, LIMIT = 50;

  /* "Đại hội" -> "dai hoi": đ is a letter of its own, not a d with a mark, so it goes first. */
  function fold(text) {
    return String(text).normalize("NFC").replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function words(text) {
    var seen = Object.create(null), out = [];
    (fold(text).match(/[0-9a-z]+/g) || []).forEach(function (w) {
      if (!seen[w]) { seen[w] = true; out.push(w); }
    });
    return out;
  }

  function startsAny(list, term) {
    for (var i = 0; i < list.length; i++) { if (list[i].indexOf(term) === 0) return true; }
    return false;
  }

  /* Postings are gaps between increasing document numbers: "3,1,6" -> [3, 4, 10]. */
  function decode(postings) {
    var total = 0;
    return postings.split(",").map(function (gap) { total += Number(gap); return total; });
  }

  function postings(index, word) {
    var cache = index._decoded || (index._decoded = Object.create(null));
    if (!cache[word]) cache[word] = Object.prototype.hasOwnProperty.call(index.words, word)
      ? decode(index.words[word]) : [];
    return cache[word];
  }

  function asSet(numbers) {
    var set = Object.create(null);
    numbers.forEach(function (n) { set[n] = true; });
    return set;
  }

  /* Documents with a word that starts with term. */
  function withPrefix(index, term) {
    var found = Object.create(null);
    Object.keys(index.words).forEach(function (word) {
      if (word.indexOf(term) === 0) postings(index, word).forEach(function (n) { found[n] = true; });
    });
    return found;
  }

  function score(doc, terms, whole, phrase) {
    var titleWords = doc._t || (doc._t = words(doc.t));
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      if (startsAny(titleWords, term)) {
        total += TITLE_WEIGHT + (titleWords.indexOf(term) >= 0 ? EXACT_BONUS : 0);
      } else {
        total += WORD_WEIGHT + (whole[i] ? EXACT_BONUS : 0);
      }
    }
    if (terms.length > 1 && titleWords.join(" ").indexOf(phrase) >= 0) total += PHRASE_BONUS;
    return total;
  }

  function search(index, query) {
    var terms = words(query);
    if (!terms.length) return [];
    var phrase = terms.join(" ");
    var prefixed = terms.map(function (t) { return withPrefix(index, t); });
    var exact = terms.map(function (t) { return asSet(postings(index, t)); });
    var found = [];
    Object.keys(prefixed[0]).forEach(function (key) {
      for (var i = 1; i < prefixed.length; i++) { if (!prefixed[i][key]) return; }
      var number = Number(key), doc = index.docs[number];
      var whole = exact.map(function (set) { return !!set[key]; });
      found.push({ score: score(doc, terms, whole, phrase), number: number, doc: doc });
    });
    found.sort(function (a, b) {
      if (b.score !== a.score) return b.score - a.score;
      var da = a.doc.d || "", db = b.doc.d || "";
      if (da !== db) return da < db ? 1 : -1;
      return a.number - b.number;
    });
    return found.map(function (f) { return f.doc; });
  }

  /* Where a page of site number n lives. Site 0 is this site. On the real domains the other
   * sites are at their own addresses; in a local preview of the network (public/ served as
   * one folder) they are sibling folders of this one. */
  function siteBase(index, n, root, ownUrl) {
    if (!n) return root;
    var site = index.sites[n];
    var deployed = ownUrl && window.location.href.indexOf(ownUrl) === 0;
    return deployed && site.url ? site.url : new URL("../" + site.id + "/", root).href;
  }

  function render(list, status, index, results, query, root, ownUrl) {
    list.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = results.length
      ? "Tìm thấy " + results.length + " kết quả cho “" + query + "”" +
        (results.length > LIMIT ? " (hiển thị " + LIMIT + " kết quả đầu; gõ thêm từ để thu hẹp)." : ".")
      : "Không tìm thấy kết quả nào cho “" + query + "”. Hãy thử từ khóa khác.";
    results.slice(0, LIMIT).forEach(function (doc) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(doc.u, siteBase(index, doc.s || 0, root, ownUrl)).href;
      link.textContent = doc.t;
      item.appendChild(link);
      var meta = [];
      if (doc.s) meta.push(index.sites[doc.s].name);
      if (doc.d) meta.push(doc.d.split("-").reverse().join("/"));
      if (meta.length) {
        var small = document.createElement("small");
        small.className = "tt-search__meta";
        small.textContent = " " + meta.join(" · ");
        item.appendChild(small);
      }
      if (doc.e) {
        var excerpt = document.createElement("p");
        excerpt.textContent = doc.e;
        item.appendChild(excerpt);
      }
      list.appendChild(item);
    });
  }

  function start() {
    var list = document.getElementById("tt-search-results");
    var input = document.getElementById("tt-search-q");
    var status = document.getElementById("tt-search-status");
    if (!list || !input || !status) return;
    var root = new URL(list.getAttribute("data-root"), window.location.href).href;
    var ownUrl = list.getAttribute("data-site-url");
    var form = input.form, index = null, timer = null;

    function run() {
      var query = input.value;
      var url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.href);
      if (index) render(list, status, index, search(index, query), query, root, ownUrl);
    }

    input.value = new URL(window.location.href).searchParams.get("q") || "";
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    status.textContent = "Đang tải chỉ mục tìm kiếm…";
    fetch(list.getAttribute("data-index"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        index = data;
        status.textContent = "";
        run();
      })
      .catch(function () {
        status.textContent = "Không tải được chỉ mục tìm kiếm. Mời quý vị thử lại sau.";
      });
  }

  window.trangtinSearch = { fold: fold, words: words, search: search };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
