// How the page wraps text, measured from the rendered glyphs: where a line break falls inside an element.
import type { Page } from 'playwright-core';

export interface Wrapped { text: string; lines: number; midWord: string[] }

/**
 * For each element matching `selector`: its text, how many lines it is drawn on, and every place a new line
 * starts between two letters or digits (shown as "…ab|cd…"), read character by character from Range rects.
 * Screen-reader-only text is left out: it is clipped, not drawn.
 */
export function wrapping(page: Page, selector: string): Promise<Wrapped[]> {
  return page.locator(selector).evaluateAll((els) => els.map((el) => {
    const chars: { ch: string; top: number; afterSpace: boolean }[] = [];
    let space = false;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('.sr-only')) continue;
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = [...range.getClientRects()].find((r) => r.width > 0);
        // A space where the line breaks is not drawn (no rect), but it is the boundary the break fell on.
        if (/\s/.test(text[i]!)) space = true;
        else if (rect) {
          chars.push({ ch: text[i]!, top: Math.round(rect.top), afterSpace: space });
          space = false;
        }
      }
    }
    const word = /[\p{L}\p{N}]/u;
    const midWord: string[] = [];
    let lines = chars.length ? 1 : 0;
    for (let i = 1; i < chars.length; i++) {
      if (chars[i]!.top <= chars[i - 1]!.top + 2) continue;
      lines++;
      if (!chars[i]!.afterSpace && word.test(chars[i - 1]!.ch) && word.test(chars[i]!.ch)) {
        const around = (from: number, to: number) => chars.slice(Math.max(0, from), to).map((c) => c.ch).join('');
        midWord.push(`…${around(i - 6, i)}|${around(i, i + 6)}…`);
      }
    }
    return { text: el.textContent ?? '', lines, midWord };
  }));
}
