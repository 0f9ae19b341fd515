export interface TcpdumpFilter {
  readonly language: 'tcpdump';
  readonly text: string;
  test(bytes: Uint8Array, linkType: number, wireLen?: number): boolean;
}
