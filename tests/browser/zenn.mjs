// Zenn's own tools, for checking newsdesk's Zenn export against what Zenn
// does with it: its Markdown renderer (zenn-markdown-html, markdown-it with
// Zenn's plugins) and its front matter validator (zenn-model, the rules the
// Zenn CLI and the site apply to an article). Plus a way to compare two
// HTML renderings of one issue by what a reader sees, not by markup.
import yaml from 'js-yaml';
import markdownToHtml from 'zenn-markdown-html';
import zennModel from 'zenn-model';

/** Where zenn.dev loads its embeds from; without it the renderer makes no link cards. */
const EMBED_ORIGIN = 'https://embed.zenn.studio';

/**
 * Splits an export into its front matter (the YAML between the `---`
 * lines, parsed with js-yaml as the Zenn CLI's gray-matter does) and the
 * Markdown body Zenn renders.
 */
export function splitFrontMatter(markdown) {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  if (!match) return { yaml: null, meta: null, body: markdown };
  return { yaml: match[1], meta: yaml.load(match[1]), body: markdown.slice(match[0].length) };
}

/** The body as zenn.dev shows it (HTML). */
export async function renderZenn(body) {
  return markdownToHtml(body, { embedOrigin: EMBED_ORIGIN });
}

/**
 * Zenn's checks of an article's front matter: an array of
 * `{ type, isCritical, message }`, empty when Zenn accepts it. `slug` is the
 * file name the article would have in a Zenn repository (Zenn checks it too).
 */
export function validateZennArticle(meta, slug) {
  return zennModel.validateArticle({ ...meta, slug });
}

/**
 * What a reader gets from an HTML fragment, in order, as plain strings:
 * `h2 Title` / `h3 Title` for headings, `card URL` for a paragraph that is
 * a link card, `p text` for other paragraphs (a line break is `⏎`, a card
 * inside the paragraph `⟦URL⟧`), `li text`, `quote` … `end quote` around
 * blockquotes, and `link URL` for every other link. Markup that differs
 * between renderers without changing what is shown (ids, heading anchors,
 * the hidden duplicate link and hidden breaks Zenn puts around a card,
 * attributes) is left out. Runs in the browser
 * (`page.evaluate(outlineInPage, html)`), so the HTML is parsed the way a
 * reader's browser parses it.
 */
export function outlineInPage(html) {
  const doc = new DOMParser().parseFromString(`<div id="root">${html}</div>`, 'text/html');
  const out = [];
  const CARDS = 'span.zenn-embedded-card, span.link-card';
  // A card is Zenn's embed (the URL, encoded, in its iframe's data-content)
  // or newsdesk's span.link-card around the link.
  const cardUrl = (el) => (el.matches('span.zenn-embedded-card')
    ? decodeURIComponent(el.querySelector('iframe')?.dataset.content ?? '')
    : el.querySelector('a')?.getAttribute('href') ?? '');
  const hidden = (el) => (el.getAttribute('style') ?? '').replace(/\s/g, '').includes('display:none');
  const text = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('a.header-anchor-link').forEach((n) => n.remove());
    copy.querySelectorAll('a, br').forEach((n) => { if (hidden(n)) n.remove(); });
    copy.querySelectorAll(CARDS).forEach((card) => card.replaceWith(`⟦${cardUrl(card)}⟧`));
    copy.querySelectorAll('br').forEach((br) => br.replaceWith('⏎'));
    // A card stands on a line of its own either way: Zenn by hiding the
    // breaks beside a block card, newsdesk with visible breaks (so feed
    // readers, which drop styles, show it so too). Breaks beside a card
    // are its edges.
    return copy.textContent.replace(/\s+/g, ' ').replace(/ ?([⏎⟦⟧]) ?/g, '$1')
      .replace(/⏎?(⟦[^⟦⟧]*⟧)⏎?/g, '$1').trim();
  };
  const links = (el) => [...el.querySelectorAll('a[href]')]
    .filter((a) => !hidden(a) && !a.matches('a.header-anchor-link') && !a.closest(CARDS))
    .forEach((a) => out.push(`link ${a.getAttribute('href')}`));
  const walk = (parent) => {
    for (const el of parent.children) {
      const tag = el.tagName.toLowerCase();
      const words = text(el);
      if (tag === 'p' && /^⟦[^⟦⟧]*⟧$/.test(words)) {
        out.push(`card ${words.slice(1, -1)}`);
      } else if (tag === 'ul' || tag === 'ol') {
        for (const li of el.children) {
          out.push(`li ${text(li)}`);
          links(li);
        }
      } else if (tag === 'blockquote') {
        out.push('quote');
        walk(el);
        out.push('end quote');
      } else {
        out.push(`${tag} ${words}`);
        links(el);
      }
    }
  };
  walk(doc.getElementById('root'));
  return out;
}
