/// The one script, served at /assets/opora.js. Pages work without it; it only folds the menu on narrow screens.
enum Script {
    static let js = """
    document.documentElement.classList.add('js');
    document.addEventListener('DOMContentLoaded', function () {
      var toggle = document.querySelector('.menu-toggle');
      var header = document.querySelector('header.top');
      if (!toggle || !header) { return; }
      toggle.addEventListener('click', function () {
        var open = header.classList.toggle('menu-open');
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
    });
    """
}
