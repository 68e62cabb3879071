/*
 * wagtail-acupuncture: page editor enhancements, loaded by the insert_editor_js hook.
 *
 * Every booking call-to-action block form (class "acupuncture-booking-cta-block") shows the
 * clinic's defaults as placeholders of its empty heading, text, button label and link URL, and a
 * line saying which link the block will use. The defaults come from the admin view named in the
 * script tag's data-cta-defaults-url (admin_views.cta_defaults), for the site of the page being
 * edited and the article's author. Blocks added, duplicated or re-rendered later are found by a
 * MutationObserver. The script only reads the form: it never changes a value the editor typed.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var endpoint = script && script.dataset.ctaDefaultsUrl;
  if (!endpoint) {
    return;
  }

  var BLOCK_SELECTOR = '.acupuncture-booking-cta-block';
  var HINT_ATTRIBUTE = 'data-acupuncture-cta-hint';
  var PLACEHOLDER_FIELDS = ['heading', 'text', 'button_label', 'link_url'];
  var requests = {};
  var current = null;
  var hintCounter = 0;

  /* The page whose site the defaults belong to: the page being edited, else the new page's parent. */
  function pageId() {
    var path = window.location.pathname;
    var match = path.match(/\/pages\/(\d+)\/edit\/?/) || path.match(/\/pages\/add\/[^/]+\/[^/]+\/(\d+)\/?/);
    return match ? match[1] : '';
  }

  function authorInput() {
    return document.querySelector('input[name="author"]');
  }

  function query() {
    var params = new URLSearchParams();
    var page = pageId();
    var author = authorInput();
    if (page) {
      params.set('page', page);
    }
    if (author && author.value) {
      params.set('author', author.value);
    }
    return params.toString();
  }

  function loadDefaults() {
    var key = query();
    if (!requests[key]) {
      requests[key] = fetch(endpoint + (key ? '?' + key : ''), {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .catch(function () {
          return null;
        });
    }
    return requests[key];
  }

  function format(message, values) {
    return String(message || '').replace(/%\((\w+)\)s/g, function (all, name) {
      return values[name] == null ? '' : String(values[name]);
    });
  }

  /* The direct child field ``name`` of a struct block form (never a field of a nested block). */
  function field(block, name) {
    for (var i = 0; i < block.children.length; i += 1) {
      var child = block.children[i];
      if (child.getAttribute('data-contentpath') === name) {
        return child.querySelector('[name$="-' + name + '"]');
      }
    }
    return null;
  }

  function setPlaceholder(input, value) {
    if (!input) {
      return;
    }
    if (input.placeholder && !input.hasAttribute('data-acupuncture-placeholder')) {
      return; // a placeholder set by someone else wins
    }
    input.setAttribute('data-acupuncture-placeholder', '');
    if (value) {
      input.placeholder = value;
    } else {
      input.removeAttribute('placeholder');
    }
  }

  function linkText(block, defaults) {
    var messages = defaults.messages || {};
    var link = defaults.link || {};
    var typed = field(block, 'link_url');
    var chosenPage = field(block, 'link_page');
    if (typed && typed.value.trim()) {
      var url = typed.value.trim();
      var schemes = defaults.allowed_schemes || [];
      var scheme = (url.match(/^([a-z][a-z0-9+.-]*):/i) || [])[1];
      if (schemes.length && (!scheme || schemes.indexOf(scheme.toLowerCase()) === -1)) {
        return format(messages.unsafe_url, {
          schemes: schemes
            .map(function (name) {
              return name === 'http' || name === 'https' ? name + '://' : name + ':';
            })
            .join(', '),
        });
      }
      return messages.typed_url; // not the URL itself: the line is read out when it changes
    }
    var fallback;
    if (link.source === 'author') {
      fallback = format(messages.fallback_author, { url: link.url });
    } else if (link.source === 'clinic') {
      fallback = format(messages.fallback_clinic, { url: link.url });
    } else {
      fallback = messages.fallback_none;
    }
    if (chosenPage && chosenPage.value) {
      return format(messages.page, { fallback: fallback });
    }
    if (link.source === 'author') {
      return format(messages.author, { url: link.url, name: defaults.author && defaults.author.name });
    }
    if (link.source === 'clinic') {
      return format(messages.clinic, { url: link.url });
    }
    return messages.none;
  }

  function hintFor(block) {
    var hint = null;
    for (var i = 0; i < block.children.length; i += 1) {
      if (block.children[i].hasAttribute(HINT_ATTRIBUTE)) {
        hint = block.children[i];
      }
    }
    if (!hint) {
      hintCounter += 1;
      hint = document.createElement('div');
      // Wagtail's own help block styles ({% help_block status="info" %})
      hint.className = 'help-block help-info acupuncture-cta-hint';
      hint.id = 'acupuncture-cta-hint-' + hintCounter;
      hint.setAttribute(HINT_ATTRIBUTE, '');
      hint.setAttribute('aria-live', 'polite');
      hint.innerHTML =
        '<svg class="icon icon-help" aria-hidden="true"><use href="#icon-help"></use></svg>' +
        '<p><span data-acupuncture-cta-intro></span> <span data-acupuncture-cta-link></span></p>';
      block.insertBefore(hint, block.firstChild);
      var linkInput = field(block, 'link_url');
      if (linkInput) {
        var described = (linkInput.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
        described.push(hint.id);
        linkInput.setAttribute('aria-describedby', described.join(' '));
      }
    }
    return hint;
  }

  function render(block, defaults) {
    if (!defaults) {
      return;
    }
    var values = {
      heading: defaults.heading,
      text: defaults.text,
      button_label: defaults.button_label,
      link_url: defaults.link && defaults.link.url,
    };
    PLACEHOLDER_FIELDS.forEach(function (name) {
      setPlaceholder(field(block, name), values[name]);
    });
    var hint = hintFor(block);
    var intro = hint.querySelector('[data-acupuncture-cta-intro]');
    var line = hint.querySelector('[data-acupuncture-cta-link]');
    var introText = (defaults.messages && defaults.messages.intro) || '';
    var lineText = linkText(block, defaults) || '';
    if (intro.textContent !== introText) {
      intro.textContent = introText;
    }
    if (line.textContent !== lineText) {
      line.textContent = lineText;
    }
  }

  function blocks() {
    return document.querySelectorAll(BLOCK_SELECTOR);
  }

  function refreshAll(reload) {
    if (!blocks().length) {
      return;
    }
    var pending = reload || !current ? loadDefaults() : Promise.resolve(current);
    pending.then(function (defaults) {
      current = defaults;
      blocks().forEach(function (block) {
        render(block, defaults);
      });
    });
  }

  function refreshBlockOf(element) {
    var block = element && element.closest ? element.closest(BLOCK_SELECTOR) : null;
    if (block && current) {
      render(block, current);
    }
  }

  function isAuthor(element) {
    return element && element.name === 'author';
  }

  function containsBlock(node) {
    return (
      node.nodeType === 1 &&
      ((node.matches && node.matches(BLOCK_SELECTOR)) || (node.querySelector && node.querySelector(BLOCK_SELECTOR)))
    );
  }

  function start() {
    refreshAll(true);

    document.addEventListener('input', function (event) {
      refreshBlockOf(event.target);
    });
    document.addEventListener('change', function (event) {
      if (isAuthor(event.target)) {
        refreshAll(true);
      } else {
        refreshBlockOf(event.target);
      }
    });

    // New blocks (added, duplicated, re-rendered after a failed save) and choosers whose hidden
    // input value changes (the author, a block's link page).
    new MutationObserver(function (mutations) {
      var added = false;
      var authorChanged = false;
      mutations.forEach(function (mutation) {
        if (mutation.type === 'attributes') {
          if (isAuthor(mutation.target)) {
            authorChanged = true;
          } else {
            refreshBlockOf(mutation.target);
          }
          return;
        }
        mutation.addedNodes.forEach(function (node) {
          if (!added && containsBlock(node)) {
            added = true;
          }
        });
      });
      if (added || authorChanged) {
        refreshAll(authorChanged);
      }
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['value'],
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
