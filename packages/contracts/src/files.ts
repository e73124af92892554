import { z } from 'zod';

/** The seven daily exports of a terminal. */
export const FILE_TYPES = ['rd5000', 'rd5500', 'rd1800', 'discount', 'rd5800', 'rd5900', 'blpr'] as const;
export const FileType = z.enum(FILE_TYPES);
export type FileType = z.infer<typeof FileType>;
