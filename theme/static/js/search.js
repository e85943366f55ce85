// Site search (plugins/search): the search box of every page's header, and the search
// page (/recherche/, /en/search/) asking the Pagefind index built with the site.
// A file of the site, not an inline script: the pages' Content-Security-Policy allows
// scripts from the site only (and WebAssembly, which Pagefind compiles to search).
(function () {
  "use strict";

  // Served over HTTP(S) only: opened from its files (file://), the site cannot load its
  // index (the browser refuses), so the archives link and the page's notice stay.
  if (location.protocol !== "http:" && location.protocol !== "https:") return;

  document.querySelectorAll("[data-search-box]").forEach(function (box) {
    var fallback = box.parentElement.querySelector("[data-search-fallback]");
    box.hidden = false;
    if (fallback) fallback.hidden = true;
  });

  var form = document.querySelector("[data-search-page]");
  if (!form) return;

  var MAX_QUERY = 200; // characters searched: Pagefind looks up every word of the query
  var PAGE = 20; // results shown at once
  // A bulletin is ten times as long as a meeting's notice: with Pagefind's default (0.75),
  // length alone would rank the short pages first. The kinds' weights are in
  // plugins/search/marks.py.
  var RANKING = { pageLength: 0.3 };
  var OPTIONS = { excerptLength: 30, ranking: RANKING }; // of every index, merged ones too
  var text = form.dataset; // the page's sentences, from the gettext catalogues
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var fields = { q: form.elements.q, serie: form.elements.serie, type: form.elements.type };
  var kindNames = {};
  Array.prototype.forEach.call(fields.type.options, function (option) {
    kindNames[option.value] = option.dataset.one; // « Bulletin », where the filter says « Bulletins »
  });
  var engine = null;
  var latest = 0;
  var moreButton = null;

  document.querySelector("[data-search-unavailable]").hidden = true;
  form.hidden = false;

  function fill(sentence, values) {
    return sentence.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function say(sentence) {
    status.textContent = sentence;
  }

  function shown(words) {
    return words.length > 60 ? words.slice(0, 60) + "…" : words;
  }

  // Pagefind, loaded once; the filters offer only what this language's index holds.
  // Its address is written relative to the page (../../pagefind/pagefind.js); import()
  // would resolve it against this script's address, so it is resolved here first.
  function pagefind() {
    if (!engine) {
      var script = new URL(text.pagefind, document.baseURI);
      engine = import(script.href).then(function (module) {
        return module
          .options(OPTIONS)
          .then(function () {
            // The first index, loaded alone: its failure (WebAssembly refused by the
            // site's policy) rejects here, where a merge would wait for ever.
            return module.filters();
          })
          .then(function () {
            return mergeShards(module, script);
          })
          .then(function () {
            return module.filters();
          })
          .then(function (available) {
            keepOffered(fields.serie, available.series || {});
            keepOffered(fields.type, available.kind || {});
            return module;
          });
      });
    }
    return engine;
  }

  // A large site's index is in shards (plugins/search/indexing.py): pagefind/ holds the
  // first of each language, shards.json lists the others, merged here before any search.
  // Pagefind sorts the results of every shard by score and sums their filters' counts.
  // Each merged index takes its own options; it loads no script or WebAssembly of its own.
  // Without shards.json (a site indexed before shards), pagefind/ is the whole index.
  function mergeShards(module, script) {
    return fetch(new URL("shards.json", script)).then(function (response) {
      if (response.status === 404) return null;
      if (!response.ok) throw new Error("shards.json: " + response.status);
      return response.json().then(function (manifest) {
        var language = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
        var shards = (manifest.languages && manifest.languages[language]) || [];
        // Paths, not whole addresses: Pagefind's worker resolves them on the site's origin,
        // and the results link to the site's pages, as the first index's do.
        var site = new URL("../", script).pathname;
        return Promise.all(
          shards
            .filter(function (shard) {
              return shard.bundle;
            })
            .map(function (shard) {
              var options = Object.assign({ language: language, baseUrl: site }, OPTIONS);
              return module.mergeIndex(new URL(shard.bundle, script).pathname, options);
            })
        );
      });
    });
  }

  function keepOffered(select, counts) {
    Array.prototype.slice.call(select.options).forEach(function (option) {
      if (option.value && !counts[option.value] && !option.selected) option.remove();
    });
  }

  function chosenFilters() {
    var filters = {};
    if (fields.serie.value) filters.series = fields.serie.value;
    if (fields.type.value) filters.kind = fields.type.value;
    return filters;
  }

  // The address shows the search, so it can be shared: /recherche/?q=seuils+planchers
  // (the folder's address, as published, when the page was reached by its index.html).
  function remember(words) {
    var params = new URLSearchParams();
    if (words) params.set("q", words);
    if (fields.serie.value) params.set("serie", fields.serie.value);
    if (fields.type.value) params.set("type", fields.type.value);
    var query = params.toString();
    var folder = location.pathname.replace(/\/index\.html$/, "/");
    history.replaceState(null, "", folder + (query ? "?" + query : ""));
  }

  // Pagefind escapes the page's text and wraps the words found in <mark>: only text
  // and <mark> are copied out of it, whatever it holds.
  function excerpt(html) {
    var paragraph = document.createElement("p");
    paragraph.className = "search-result__excerpt";
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function facts(meta) {
    var line = document.createElement("p");
    line.className = "meta search-result__facts";
    var parts = [];
    if (meta.kind && kindNames[meta.kind]) parts.push(document.createTextNode(kindNames[meta.kind]));
    var where = meta.series || meta.group;
    if (where && meta.number) where += " — " + fill(text.number, { number: meta.number });
    if (where) parts.push(document.createTextNode(where));
    if (meta.date) {
      var time = document.createElement("time");
      time.dateTime = meta.date;
      time.textContent = meta.date_label || meta.date;
      parts.push(time);
    }
    parts.forEach(function (part, index) {
      if (index) line.appendChild(document.createTextNode(" · "));
      line.appendChild(part);
    });
    return line;
  }

  function item(page) {
    var entry = document.createElement("li");
    entry.className = "search-result";
    var title = document.createElement("h2");
    title.className = "search-result__title";
    var link = document.createElement("a");
    link.href = page.url;
    link.textContent = page.meta.title || page.url;
    title.appendChild(link);
    entry.appendChild(title);
    entry.appendChild(facts(page.meta));
    entry.appendChild(excerpt(page.excerpt || ""));
    return entry;
  }

  function showMore(results, from, ticket) {
    if (moreButton) moreButton.remove();
    moreButton = null;
    var slice = results.slice(from, from + PAGE);
    return Promise.all(
      slice.map(function (result) {
        return result.data();
      })
    ).then(function (pages) {
      if (ticket !== latest) return null;
      var first = null;
      pages.forEach(function (page) {
        var entry = item(page);
        list.appendChild(entry);
        first = first || entry;
      });
      if (from + PAGE < results.length) {
        moreButton = document.createElement("button");
        moreButton.type = "button";
        moreButton.className = "search-results__more";
        moreButton.textContent = text.more;
        moreButton.addEventListener("click", function () {
          showMore(results, from + PAGE, ticket).then(function (added) {
            if (added) added.querySelector("a").focus();
          });
        });
        list.after(moreButton);
      }
      return first;
    });
  }

  function search() {
    var words = fields.q.value.slice(0, MAX_QUERY).trim();
    var ticket = ++latest;
    remember(words);
    list.replaceChildren();
    if (moreButton) moreButton.remove();
    moreButton = null;
    if (!words) {
      say(text.empty);
      return;
    }
    say(text.searching);
    pagefind()
      .then(function (module) {
        return module.search(words, { filters: chosenFilters() });
      })
      .then(function (found) {
        if (ticket !== latest) return null;
        var results = (found && found.results) || [];
        var values = { count: results.length, query: shown(words) };
        if (!results.length) {
          say(fill(text.none, values));
          return null;
        }
        return showMore(results, 0, ticket).then(function () {
          if (ticket === latest) say(fill(results.length === 1 ? text.one : text.other, values));
        });
      })
      .catch(function () {
        if (ticket === latest) say(text.failed);
      });
  }

  var pending = null;
  function searchSoon() {
    clearTimeout(pending);
    pending = setTimeout(search, 300);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(pending);
    search();
  });
  fields.q.addEventListener("input", searchSoon);
  fields.serie.addEventListener("change", search);
  fields.type.addEventListener("change", search);

  // A shared address runs its search when the page opens.
  var asked = new URLSearchParams(location.search);
  fields.q.value = (asked.get("q") || "").slice(0, MAX_QUERY);
  ["serie", "type"].forEach(function (name) {
    var value = asked.get(name);
    if (value && fields[name].querySelector('option[value="' + CSS.escape(value) + '"]')) {
      fields[name].value = value;
    }
  });
  pagefind().catch(function () {
    say(text.failed);
  });
  if (asked.has("q")) search();
})();
