import { z } from 'zod'

/** `/metrics` and `/docs` need a viewer token unless made public. */
export const PublicConfig = z.object({ public: z.boolean().default(false) }).strict()
