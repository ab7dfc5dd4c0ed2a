// `undici/lib/dispatcher/client.js` is the Client class alone (CommonJS, `module.exports = Client`),
// imported instead of the package entry so the bundle does not carry all of undici. It has no
// typings of its own: it is the same class the package exports.
declare module 'undici/lib/dispatcher/client.js' {
  import { Client } from 'undici';
  export default Client;
}
