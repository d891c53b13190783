/* A post's "In bài" and "Chia sẻ" buttons. Self-hosted, no request to another host.
 * Without JavaScript the buttons stay hidden (the browser's own print and share remain).
 * "Chia sẻ" opens the phone's share sheet (Web Share API, where Zalo and Facebook are);
 * where there is none it copies the page's address: "Sao chép liên kết". */
(function () {
  "use strict";

  function pageAddress() {
    return location.href.split("#")[0];
  }

  function say(status, message) {
    status.textContent = message;
  }

  function copyAddress(status) {
    var address = pageAddress();
    if (!navigator.clipboard || !navigator.clipboard.writeText) {
      say(status, "Liên kết của bài: " + address);
      return;
    }
    navigator.clipboard.writeText(address).then(
      function () { say(status, "Đã sao chép liên kết của bài."); },
      function () { say(status, "Liên kết của bài: " + address); }
    );
  }

  function share(status) {
    var title = document.querySelector(".tt-post h1");
    navigator.share({ title: title ? title.textContent : document.title, url: pageAddress() })
      .catch(function () { /* closed by the reader: nothing to say */ });
    say(status, "");
  }

  function setUp(box) {
    var status = box.querySelector(".tt-actions__status");
    var shareButton = box.querySelector("[data-tt-share]");
    var canShare = typeof navigator.share === "function";
    if (!canShare) {
      shareButton.textContent = "Sao chép liên kết";
    }
    box.querySelector("[data-tt-print]").addEventListener("click", function () {
      window.print();
    });
    shareButton.addEventListener("click", function () {
      if (canShare) {
        share(status);
      } else {
        copyAddress(status);
      }
    });
    box.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-tt-actions]"), setUp);
})();
