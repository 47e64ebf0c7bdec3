// The boundary every channel adapter implements and uses. The Channel port and the AdapterPort are
// defined by the core runtime (src/core), which drives the first and builds the second from the crm
// services; adapters import them from here so that their one dependency on the app is this file.
export * from '../src/core/adapter-port.ts';
export * from '../src/core/channel.ts';
