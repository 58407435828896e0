export * from './api.ts';
export * from './certificate-types.ts';
export * from './documents.ts';
export * from './errors.ts';
export * from './auth-message.ts';
export * from './seal.ts';
