// The NYSE calendar moved to engine/shared (#17: the simulated market and the entry facts need it,
// and neither may import queue/). Kept only so branches written before the move still build.
export * from '../shared/market-calendar';
