/* Photo galleries: a lightbox over the grid of a gallery post.
 * Self-hosted, no dependencies. Without JavaScript every photo is a plain link to its
 * large version. Keyboard: Esc closes, ← → move, Tab stays in the dialog, focus returns
 * to the photo that opened it. */
(function () {
  "use strict";

  function build() {
    var dialog = document.createElement("dialog");
    dialog.className = "tt-lightbox";
    dialog.setAttribute("aria-label", "Xem ảnh");
    dialog.innerHTML =
      '<figure class="tt-lightbox__figure">' +
      '<img class="tt-lightbox__image" alt="">' +
      '<figcaption class="tt-lightbox__caption"></figcaption>' +
      "</figure>" +
      '<p class="tt-lightbox__count" aria-live="polite"></p>' +
      '<button type="button" class="tt-lightbox__button tt-lightbox__prev" aria-label="Ảnh trước">‹</button>' +
      '<button type="button" class="tt-lightbox__button tt-lightbox__next" aria-label="Ảnh sau">›</button>' +
      '<button type="button" class="tt-lightbox__button tt-lightbox__close" aria-label="Đóng">×</button>';
    document.body.appendChild(dialog);
    return dialog;
  }

  function Lightbox(links) {
    this.links = links;
    this.index = 0;
    this.opener = null;
    this.dialog = build();
    this.image = this.dialog.querySelector(".tt-lightbox__image");
    this.caption = this.dialog.querySelector(".tt-lightbox__caption");
    this.count = this.dialog.querySelector(".tt-lightbox__count");
    var self = this;
    this.dialog.querySelector(".tt-lightbox__prev").addEventListener("click", function () { self.move(-1); });
    this.dialog.querySelector(".tt-lightbox__next").addEventListener("click", function () { self.move(1); });
    this.dialog.querySelector(".tt-lightbox__close").addEventListener("click", function () { self.close(); });
    this.dialog.addEventListener("keydown", function (event) { self.onKey(event); });
    this.dialog.addEventListener("close", function () { self.restoreFocus(); });
    this.dialog.addEventListener("click", function (event) {
      if (event.target === self.dialog) { self.close(); }  // a click on the backdrop
    });
  }

  Lightbox.prototype.show = function (index) {
    var link = this.links[index];
    var picture = link.querySelector("img");
    this.index = index;
    this.image.src = link.href;
    this.image.alt = picture ? picture.alt : "";
    this.caption.textContent = link.getAttribute("data-caption") || "";
    this.caption.hidden = !this.caption.textContent;
    this.count.textContent = "Ảnh " + (index + 1) + "/" + this.links.length;
  };

  Lightbox.prototype.open = function (index) {
    this.opener = document.activeElement;
    this.show(index);
    if (typeof this.dialog.showModal === "function") {
      this.dialog.showModal();
    } else {
      this.dialog.setAttribute("open", "");
    }
    this.dialog.querySelector(".tt-lightbox__close").focus();
  };

  Lightbox.prototype.move = function (step) {
    var total = this.links.length;
    this.show((this.index + step + total) % total);
  };

  Lightbox.prototype.close = function () {
    if (typeof this.dialog.close === "function" && this.dialog.open) {
      this.dialog.close();
    } else {
      this.dialog.removeAttribute("open");
      this.restoreFocus();
    }
  };

  Lightbox.prototype.restoreFocus = function () {
    if (this.opener && typeof this.opener.focus === "function") { this.opener.focus(); }
    this.opener = null;
  };

  Lightbox.prototype.onKey = function (event) {
    if (event.key === "ArrowLeft") { this.move(-1); event.preventDefault(); }
    else if (event.key === "ArrowRight") { this.move(1); event.preventDefault(); }
    else if (event.key === "Escape") { this.close(); event.preventDefault(); }
    else if (event.key === "Tab") { this.trapFocus(event); }
  };

  Lightbox.prototype.trapFocus = function (event) {
    var buttons = this.dialog.querySelectorAll("button");
    var first = buttons[0], last = buttons[buttons.length - 1];
    if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
    else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
  };

  function enhance(grid) {
    var links = Array.prototype.slice.call(grid.querySelectorAll("a.tt-gallery__link"));
    if (!links.length) { return; }
    var box = new Lightbox(links);
    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
        event.preventDefault();
        box.open(index);
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tt-gallery]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
