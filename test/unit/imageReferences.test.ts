import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findImageReferences } from '../../src/references/imageReferences';

const pick = (text: string, languageId: string) =>
  findImageReferences(text, languageId).map((r) => ({ at: text.slice(r.offset, r.offset + r.length), path: r.path, description: r.description }));

describe('image references in the files that use images', () => {
  it('Markdown: the path, with the alt text as the description; links and remote images are not references', () => {
    const text =
      'Intro ![a red fox app icon](media/fox.png) and ![](./hero%20banner.webp "title") [link](x.png) ![remote](https://example.com/a.png) ![bracketed](<b.jpg>)';
    assert.deepEqual(pick(text, 'markdown'), [
      { at: 'media/fox.png', path: 'media/fox.png', description: 'a red fox app icon' },
      { at: './hero%20banner.webp', path: './hero banner.webp', description: undefined },
      { at: 'b.jpg', path: 'b.jpg', description: 'bracketed' },
    ]);
  });

  it('HTML, JSX, Vue: <img src alt>, in any attribute order', () => {
    const text = '<img alt="a &quot;quoted&quot; fox" class="x" src="/media/fox.png"> <img src=\'icon.jpg\' /> <img src="data:image/png;base64,AAAA">';
    assert.deepEqual(pick(text, 'typescriptreact'), [
      { at: '/media/fox.png', path: '/media/fox.png', description: 'a "quoted" fox' },
      { at: 'icon.jpg', path: 'icon.jpg', description: undefined },
    ]);
  });

  it('CSS: url(), with a comment just before it as the description', () => {
    const text = '.hero {\n  /* misty mountains at sunrise */ background: url("../img/hero.webp");\n  mask: url(mask.png);\n  font: url(font.woff2);\n}';
    assert.deepEqual(pick(text, 'css'), [
      { at: '../img/hero.webp', path: '../img/hero.webp', description: 'misty mountains at sunrise' },
      { at: 'mask.png', path: 'mask.png', description: undefined },
    ]);
  });

  it('never throws, and every reference points at its path in the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('markdown', 'html', 'css', 'vue', 'plaintext'), (text, language) => {
        for (const reference of findImageReferences(text, language)) assert.ok(reference.offset >= 0 && reference.offset + reference.length <= text.length);
      }),
      { numRuns: 2000 },
    );
  });
});
