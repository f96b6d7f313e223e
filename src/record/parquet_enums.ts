/** Parquet's Thrift enum values (parquet.thrift) shared by our chunk encoder and fast reader. */
export const PAGE_DATA_V1 = 0;
export const PAGE_DICTIONARY = 2;
export const PAGE_DATA_V2 = 3;
export const ENC_PLAIN = 0;
export const ENC_PLAIN_DICTIONARY = 2;
export const ENC_RLE = 3;
export const ENC_DELTA_BINARY_PACKED = 5;
export const ENC_RLE_DICTIONARY = 8;
