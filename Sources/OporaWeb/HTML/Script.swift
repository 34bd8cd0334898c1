/// The one script, served at /assets/opora.js. Pages work without it; it only folds the menu on narrow screens and
/// keeps one menu group open at a time and puts a search box over long choosers (`select[data-search]`: a school among
/// hundreds).
enum Script {
    static let js = """
    document.documentElement.classList.add('js');
    // A refused form comes back at its first problem, also below the fold on a phone.
    window.addEventListener('load', function () {
      var refused = document.querySelector('[aria-invalid="true"]');
      if (refused && !document.querySelector('[autofocus]')) { refused.focus(); }
    });
    document.addEventListener('DOMContentLoaded', function () {
      document.querySelectorAll('select[data-search]').forEach(function (select) {
        var box = document.createElement('input');
        box.type = 'search';
        box.className = 'chooser-search';
        box.placeholder = 'Поиск по списку…';
        box.setAttribute('aria-label', 'Поиск: ' + (select.getAttribute('data-search') || 'список'));
        select.parentNode.insertBefore(box, select);
        box.addEventListener('input', function () {
          var words = box.value.toLowerCase().split(/\\s+/).filter(function (w) { return w; });
          var shown = [];
          Array.prototype.forEach.call(select.options, function (option) {
            var text = option.text.toLowerCase();
            var match = !option.value || words.every(function (w) { return text.indexOf(w) >= 0; });
            option.hidden = !match;
            if (match && option.value) { shown.push(option); }
          });
          if (shown.length === 1) { select.value = shown[0].value; }
        });
      });
      var toggle = document.querySelector('.menu-toggle');
      var header = document.querySelector('header.top');
      if (!toggle || !header) { return; }
      toggle.addEventListener('click', function () {
        var open = header.classList.toggle('menu-open');
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
    });
    // Menu groups (<details>): one drop-down open at a time; Escape or a click elsewhere closes it.
    document.addEventListener('DOMContentLoaded', function () {
      var groups = Array.prototype.slice.call(document.querySelectorAll('details.nav-group'));
      groups.forEach(function (group) {
        group.addEventListener('toggle', function () {
          if (!group.open) { return; }
          groups.forEach(function (other) { if (other !== group) { other.open = false; } });
        });
      });
      document.addEventListener('keydown', function (event) {
        if (event.key !== 'Escape') { return; }
        groups.forEach(function (group) {
          if (group.open) { group.open = false; group.querySelector('summary').focus(); }
        });
      });
      document.addEventListener('click', function (event) {
        groups.forEach(function (group) { if (group.open && !group.contains(event.target)) { group.open = false; } });
      });
    });
    """
}
