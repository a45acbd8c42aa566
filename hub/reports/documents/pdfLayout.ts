import { PageSizes, rgb, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/**
 * A top-to-bottom page writer over pdf-lib: wraps text to the page width and
 * starts a new page when the next line would run into the footer.
 */
export const MARGIN = 50;
const FOOTER_SPACE = 40;
const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
export const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN;

/** Replacements for characters the standard fonts (WinAnsi) cannot encode; anything else unknown becomes "?". */
const FALLBACKS: Record<string, string> = {
  '\u2009': ' ', '\u202F': ' ', '\u00A0': ' ', '\u2010': '-', '\u2011': '-', '\u2212': '-', '\u2192': '->', '\u2190': '<-',
  '\u2264': '<=', '\u2265': '>=', '\u2248': '~', '\u2260': '!=', '\u221E': 'infini', '\u0394': 'delta', '\u2032': "'", '\u2033': '"',
  '\t': '    ',
};

export interface Style {
  font: PDFFont;
  size: number;
  color?: RGB;
  /** Line advance; 1.35 × size when left out. */
  leading?: number;
}

export class PdfWriter {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;
  private readonly supported: Set<number>;

  constructor(readonly doc: PDFDocument, regular: PDFFont) {
    // Helvetica and Helvetica-Bold share WinAnsi's character set.
    this.supported = new Set(regular.getCharacterSet());
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.pages.push(this.page);
    this.y = PAGE_HEIGHT - MARGIN;
  }

  /** Text the standard fonts can draw: NFC (one code point per accented letter), unencodable characters replaced. */
  encodable(text: string): string {
    let out = '';
    for (const char of text.normalize('NFC')) {
      const point = char.codePointAt(0) ?? 0;
      out += this.supported.has(point) ? char : (FALLBACKS[char] ?? '?');
    }
    return out;
  }

  /** Splits text into lines no wider than `width`; explicit newlines are kept, an over-long word is cut. */
  wrap(text: string, style: Style, width = TEXT_WIDTH): string[] {
    const lines: string[] = [];
    const fits = (s: string): boolean => style.font.widthOfTextAtSize(s, style.size) <= width;
    for (const paragraph of text.split('\n').map((p) => this.encodable(p))) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line === '' ? word : `${line} ${word}`;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line !== '') lines.push(line);
        line = word;
        while (!fits(line)) {
          let cut = line.length - 1;
          while (cut > 1 && !fits(line.slice(0, cut))) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line);
    }
    return lines;
  }

  /** Writes wrapped text at the cursor, `indent` points in from the margin. */
  text(text: string, style: Style, indent = 0): void {
    const leading = style.leading ?? style.size * 1.35;
    for (const line of this.wrap(text, style, TEXT_WIDTH - indent)) {
      this.ensure(leading);
      this.y -= leading;
      if (line !== '') this.page.drawText(line, { x: MARGIN + indent, y: this.y + leading - style.size, size: style.size, font: style.font, color: style.color ?? rgb(0, 0, 0) });
    }
  }

  /** Text inside a framed box (the critical finding): kept on one page when it fits. */
  box(text: string, style: Style, border: RGB): void {
    const leading = style.leading ?? style.size * 1.35;
    const padding = 6;
    const lines = this.wrap(text, style, TEXT_WIDTH - 2 * padding);
    const height = lines.length * leading + 2 * padding;
    this.ensure(height);
    this.page.drawRectangle({ x: MARGIN, y: this.y - height, width: TEXT_WIDTH, height, borderColor: border, borderWidth: 1.2 });
    let y = this.y - padding;
    for (const line of lines) {
      y -= leading;
      this.page.drawText(line, { x: MARGIN + padding, y: y + leading - style.size, size: style.size, font: style.font, color: style.color ?? rgb(0, 0, 0) });
    }
    this.y -= height;
  }

  rule(): void {
    this.ensure(8);
    this.y -= 4;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: PAGE_WIDTH - MARGIN, y: this.y }, thickness: 0.6, color: rgb(0.6, 0.6, 0.6) });
    this.y -= 4;
  }

  space(points: number): void {
    this.y -= points;
  }

  /** Starts a new page unless `height` more points fit above the footer. */
  ensure(height: number): void {
    if (this.y - height < MARGIN + FOOTER_SPACE) this.newPage();
  }

  /** "Page n / N" and a reminder of whose report it is, at the foot of every page. */
  footers(left: string, style: Style): void {
    const total = this.pages.length;
    this.pages.forEach((page, index) => {
      const label = `Page ${index + 1} / ${total}`;
      const y = MARGIN - 10;
      page.drawText(this.encodable(left), { x: MARGIN, y, size: style.size, font: style.font, color: style.color ?? rgb(0.3, 0.3, 0.3) });
      page.drawText(label, { x: PAGE_WIDTH - MARGIN - style.font.widthOfTextAtSize(label, style.size), y, size: style.size, font: style.font, color: style.color ?? rgb(0.3, 0.3, 0.3) });
    });
  }
}
