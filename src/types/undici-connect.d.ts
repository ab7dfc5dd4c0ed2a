// `undici/lib/core/connect.js` is buildConnector alone (CommonJS, `module.exports = buildConnector`),
// imported for the same reason as the Client module: the package entry would bundle all of undici.
declare module 'undici/lib/core/connect.js' {
  import { buildConnector } from 'undici';
  export default buildConnector;
}
