// Where the extension's own documentation lives (package.json's homepage; a unit test keeps the
// two equal). Sections are the README's headings as GitHub and the marketplace anchor them.

export const HOMEPAGE = 'https://github.com/sd-studio/stable-diffusion-studio#readme';

export const README_SECTIONS = {
  connect: 'connect-a-server',
  login: 'a-server-with-a-login',
  unsupported: 'servers-that-do-not-work',
  troubleshooting: 'troubleshooting',
} as const;

export type ReadmeSection = (typeof README_SECTIONS)[keyof typeof README_SECTIONS];

export function readmeLink(section: ReadmeSection): string {
  return HOMEPAGE.replace(/#readme$/, `#${section}`);
}
