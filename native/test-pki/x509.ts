/** @peculiar/x509 with its reflect polyfill loaded first (it throws at import without one). */
import 'reflect-metadata';
export * from '@peculiar/x509';
