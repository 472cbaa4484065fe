import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  require_download_http_client
} from "./chunk-VISYCIIE.js";
import "./chunk-ENREGAGY.js";
export default require_download_http_client();
