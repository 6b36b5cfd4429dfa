/**
 * The one way this module reaches @peculiar/x509. Its CommonJS build (the one Node loads) uses
 * tsyringe, which needs the Reflect metadata polyfill to be loaded first; ESM evaluates imports in
 * source order, so loading the polyfill here, before the library, is enough. The polyfill only
 * adds Reflect.* functions; it starts nothing.
 */
import 'reflect-metadata';

export * as x509 from '@peculiar/x509';
