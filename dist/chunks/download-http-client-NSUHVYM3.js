import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  require_download_http_client
} from "./chunk-LDELDWEG.js";
import "./chunk-NZHNVTAP.js";
import "./chunk-6DG7BXTN.js";
export default require_download_http_client();
