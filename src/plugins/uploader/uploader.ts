/**
 * Uploader: puts a file or directory under a key and returns a URI the downloader can read.
 * Uploaders do not retry; the executor does. Keys are never reused with different content.
 */

export interface UploadResult {
  uri: string;
  /** `sha256:<hex>` over the uploaded content (a directory hashes its sorted relative paths and file digests). */
  digest: string;
  sizeBytes: number;
}

export interface Uploader {
  upload(localPath: string, key: string): Promise<UploadResult>;
  close(): Promise<void>;
}
