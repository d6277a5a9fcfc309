/** The contract, importable by both sides. No Node, DOM or Electron imports anywhere in this folder. */
export * from './errors'
export * from './profiles'
export * from './connections'
export * from './contract'
export * from './wire'
export * from './bridge'
export * from './vault'
export * from './profiles-io'
