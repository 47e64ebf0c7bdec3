// The boundary every channel adapter implements. The Channel port itself is defined by the core
// runtime (src/core/channel.ts), which drives it; adapters import it from here so that their one
// dependency on the runtime is this file.
export * from '../src/core/channel.ts';
