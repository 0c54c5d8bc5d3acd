// docs/elements.md's examples as a test takes them (test/support/docs.ts reads every guide alike).
import { docExample as guideExample } from '../support/docs.js';

/** The fenced `lang` block after `<!-- example: name -->` in docs/elements.md. */
export const docExample = (name: string, lang: string): string => guideExample('docs/elements.md', name, lang);
