/* Digest: keyboard, touch and screen-reader behaviour of entity mentions.
 *
 * Plain ES2017, no dependencies, no network. Copied by `digest generate` to
 * docs/assets/digest/digest.js and listed under extra_javascript in mkdocs.yml.
 *
 * Mentions are `[data-entity]` elements: the first mention of an entity in an article is an
 * `<a>` to its page, later ones are `<span tabindex="0" role="term">`. Each has a `title` (the
 * theme's tooltip, on hover and focus, with `content.tooltips`) and
 * `aria-describedby="digest-def-<id>"`, pointing to a hidden `<span class="digest-definition">`.
 *
 * What Material for MkDocs (9.x) does with a `[title]` in content: it appends a
 * `<div class="md-tooltip2" role="tooltip" id="__tooltip2_N">` to <body> while the element is
 * focused (focusin/focusout) or hovered (mouseenter/mouseleave), makes it visible with the class
 * `md-tooltip2--active`, removes the element's `title` meanwhile, and sets `aria-describedby` to
 * its own tooltip, then REMOVES `aria-describedby` when the tooltip hides, and once when it mounts.
 *
 * This script:
 *  1. keeps `aria-describedby="digest-def-<id>"` on every mention (puts it back whenever the
 *     theme changes or removes it);
 *  2. Escape hides the tooltip of the focused and of the hovered mention: it blurs the focused
 *     one and tells the theme the pointer has left the hovered one; the class
 *     `digest-tooltip-off` stays on that mention, and keeps its hover tooltip off, until the
 *     pointer really leaves it;
 *  3. touch: the first tap on a first-mention link shows its tooltip (focuses it, no navigation),
 *     a second tap on the same link follows it; a tap on a later mention focuses it (its tooltip
 *     shows); a tap anywhere else forgets the first tap;
 *  4. names the theme's search dialog (role="dialog" without a name) after its search field.
 * Document-level listeners are installed once; the per-page part runs on every page of the
 * theme's instant navigation (`document$`), or once on DOMContentLoaded without it (Zensical,
 * other themes).
 */
(function () {
  "use strict";

  if (window.__digestMentions) return; // loaded twice (e.g. re-evaluated): install once
  window.__digestMentions = true;

  const MENTION = "[data-entity]";
  const DEFINITION_PREFIX = "digest-def-";
  const OFF = "digest-tooltip-off";

  /** The mention at or around a node, or null. */
  function mentionOf(node) {
    return node instanceof Element ? node.closest(MENTION) : null;
  }

  // --- 1. aria-describedby ---------------------------------------------------------------------

  function describe(el) {
    const id = DEFINITION_PREFIX + el.getAttribute("data-entity");
    if (el.getAttribute("aria-describedby") !== id && document.getElementById(id)) {
      el.setAttribute("aria-describedby", id);
    }
  }

  function describeAll(root) {
    root.querySelectorAll(MENTION).forEach(describe);
  }

  new MutationObserver(function (records) {
    for (const record of records) {
      if (record.target instanceof Element && record.target.matches(MENTION)) describe(record.target);
    }
  }).observe(document.documentElement, {
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-describedby"],
  });

  // --- 2. Escape ---------------------------------------------------------------------------------

  function dismiss(el) {
    el.classList.add(OFF);
    if (document.activeElement === el) el.blur();
    // The theme watches mouseenter/mouseleave on the mention: say the pointer left, so it hides
    // the tooltip now. The browser sends no new mouseenter until the pointer leaves for real.
    el.dispatchEvent(new MouseEvent("mouseleave", { bubbles: false, cancelable: false }));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    const targets = new Set(document.querySelectorAll(MENTION + ":hover"));
    const focused = mentionOf(document.activeElement);
    if (focused) targets.add(focused);
    targets.forEach(dismiss);
  });

  // Capturing listeners on the document see mouseenter/mouseleave of every element first.
  document.addEventListener(
    "mouseenter",
    function (event) {
      // Keep the hover tooltip off until the pointer has left (only a synthetic event can get here).
      if (event.target instanceof Element && event.target.matches(MENTION) && event.target.classList.contains(OFF)) {
        event.stopPropagation();
      }
    },
    true,
  );
  document.addEventListener(
    "mouseleave",
    function (event) {
      if (event.isTrusted && event.target instanceof Element && event.target.matches(MENTION)) {
        event.target.classList.remove(OFF);
      }
    },
    true,
  );

  // --- 3. Touch ----------------------------------------------------------------------------------

  const noHover = window.matchMedia ? window.matchMedia("(hover: none)") : null;
  let lastPointer = "";
  let armed = null; // the first-mention link tapped once

  document.addEventListener(
    "pointerdown",
    function (event) {
      lastPointer = event.pointerType || "";
    },
    true,
  );

  /** Whether a click is a tap: from a touch pointer, or from any pointer on a device that cannot hover. */
  function isTap(event) {
    if (event.detail === 0) return false; // from the keyboard (Enter) or a script: never a tap
    if ((event.pointerType || lastPointer) === "touch") return true;
    return noHover !== null && noHover.matches;
  }

  document.addEventListener(
    "click",
    function (event) {
      if (!isTap(event)) return;
      const el = mentionOf(event.target);
      if (el === null) {
        armed = null;
        return;
      }
      el.classList.remove(OFF);
      if (el.tagName === "A" && el !== armed) {
        // First tap: show the tooltip instead of leaving the page. Capturing on the document,
        // stopping here also keeps the theme's instant navigation (a listener on <body>) out.
        event.preventDefault();
        event.stopPropagation();
        armed = el;
        el.focus({ preventScroll: true });
        return;
      }
      armed = null; // a second tap on the same link follows it; a later mention just focuses
      if (el.tagName !== "A") el.focus({ preventScroll: true });
    },
    true,
  );

  // --- per page -------------------------------------------------------------------------------

  /** The theme's search is a role="dialog" without a name (axe: aria-dialog-name); name it. */
  function nameSearchDialog() {
    const dialog = document.querySelector('.md-search[role="dialog"]');
    if (!dialog || dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) return;
    const input = dialog.querySelector("input");
    const name = input && (input.getAttribute("aria-label") || input.getAttribute("placeholder"));
    dialog.setAttribute("aria-label", name || "Search");
  }

  function setup() {
    armed = null;
    describeAll(document);
    nameSearchDialog();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
