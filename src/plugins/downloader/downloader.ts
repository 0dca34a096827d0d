/**
 * Downloader: not pluggable. Reads any URI an uploader produced (`file://`, `http(s)://`, and later
 * `s3://`) into a local directory. Does not retry; the executor does.
 */

export interface DownloadOptions {
  /** Unpack `.tar`, `.tar.gz`/`.tgz`, `.gz` and `.zip` archives into the destination. @default false */
  unpack?: boolean;
}

export interface Downloader {
  /**
   * Copies what `uri` names (a file or a directory) to `destPath`, which must not exist yet; resolves
   * with `destPath`. A directory is copied whole; an archive with `unpack` becomes a directory.
   */
  download(uri: string, destPath: string, options?: DownloadOptions): Promise<string>;
}
