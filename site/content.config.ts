// Content collections for the Scratchnet site. Chapters are MDX files in the top-level
// chapters/ folder (not under site/) so the notebook text sits beside lib/ and tests/.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const chapters = defineCollection({
  loader: glob({ base: './chapters', pattern: '**/*.mdx' }),
  schema: z.object({
    title: z.string(),
    /** Position in the book; the index and prev/next links sort by it. */
    order: z.number(),
    description: z.string().optional(),
    /** The part of the book the chapter belongs to, e.g. "The network"; chapters are grouped by it. */
    part: z.string().optional(),
    /** The chapter's idea in one short sentence, for the front page's path through the chapters. */
    keyIdea: z.string().optional(),
    /** Seed for the chapter's random numbers, so every reader sees the same values. */
    seed: z.number().optional(),
  }),
});

export const collections = { chapters };
