import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  require_download_http_client
} from "./chunk-EGLSJ76R.js";
import "./chunk-MF7XEEV7.js";
import "./chunk-WP646LUM.js";
export default require_download_http_client();
