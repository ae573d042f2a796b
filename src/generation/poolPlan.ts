// Pure: how a request's images are split over the servers of a pool. Every part is a whole
// request with explicit seeds (seed, seed + 1, … as A1111 numbers a batch), so the set is the
// same whichever server makes which part, and a part can be made again elsewhere.

export interface PoolPart {
  /** Its place in the request: parts are merged in this order. */
  index: number;
  /** The first of its images, counted over the whole request. */
  firstImage: number;
  images: number;
  seed: number;
  /** The variation seed of its first image, when the request asks for a variation. */
  subseed?: number;
}

export interface PoolPlanInput {
  batchSize: number;
  batchCount: number;
  /** The request's seed; -1 has been replaced by an explicit one (see explicitSeed). */
  seed: number;
  subseed?: number;
  /** How many servers can take a part. */
  members: number;
}

/**
 * The user's batch size stays the size of a part (what their GPU batches well); when that
 * leaves fewer parts than servers, parts get smaller so that every server has one.
 */
export function planParts({ batchSize, batchCount, seed, subseed, members }: PoolPlanInput): PoolPart[] {
  const total = Math.max(1, batchSize * batchCount);
  const size = Math.ceil(total / batchSize) >= members ? batchSize : Math.max(1, Math.ceil(total / Math.max(1, members)));
  const parts: PoolPart[] = [];
  for (let first = 0; first < total; first += size) {
    parts.push({
      index: parts.length,
      firstImage: first,
      images: Math.min(size, total - first),
      seed: seed + first,
      ...(subseed !== undefined ? { subseed: subseed + first } : {}),
    });
  }
  return parts;
}

/** A seed in A1111's range (0 … 2³² − 2): ours when the user asked for a random one, so every image can be made again. */
export function explicitSeed(seed: number, random: () => number = Math.random): number {
  return seed >= 0 ? seed : Math.floor(random() * 4294967295);
}
