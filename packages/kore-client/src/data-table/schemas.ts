import * as z from 'zod/mini';

const Row = z.record(z.string(), z.unknown());

/** @internal `POST …/query` answer. */
export const QueryResponse = z.looseObject({
  hasMore: z.optional(z.boolean()),
  total: z.optional(z.number()),
  metaInfo: z.optional(z.array(z.looseObject({ name: z.string(), type: z.optional(z.string()) }))),
  queryResult: z.array(Row),
});

/** @internal `POST …/{t}` answer: the stored row. */
export const InsertResponse = Row;

/** @internal `POST …/{t}/bulk` answer. */
export const BulkInsertResponse = z.looseObject({ records: z.array(Row) });

/** @internal `PUT …/{t}` answer. */
export const UpdateResponse = z.looseObject({ nModified: z.number() });

/** @internal `DELETE …/{t}` answer. */
export const DeleteResponse = z.looseObject({ nDeleted: z.number() });
