// Unit tests for the TCP dissector fed raw TCP headers (no link/IP layers). Expected strings
// are copied from tshark 4.0.17's output for the corpus packets named in each test
// (`tshark -n -o tcp.relative_sequence_numbers:FALSE -r FILE -T fields -e ...`).
import { describe, expect, it } from 'vitest';
import { CaptureState } from '../packet.js';
import { attachTcpAnalyzer, type TcpAnalyzer } from '../tcp-hook.js';
import { hex } from '../../../test/helpers/payload.js';
import { runTcp } from '../../../test/helpers/tcp-segment.js';
import { completenessText, tcpFlagsStr, tcpFlagsText } from './tcp.js';
import { bitPicture } from '../format.js';

describe('tcp flags', () => {
  it('formats tcp.flags.str like tshark', () => {
    // tcpdump/tcp-handshake-nano.pcap frames 1 and 2; a crafted header with all 12 bits set.
    expect(tcpFlagsStr(0x002)).toBe('··········S·');
    expect(tcpFlagsStr(0x012)).toBe('·······A··S·');
    expect(tcpFlagsStr(0xfff)).toBe('RRRACEUAPRSF');
  });
  it('names flags in Info order', () => {
    expect(tcpFlagsText(0x012)).toBe('SYN, ACK');
    expect(tcpFlagsText(0x0c2)).toBe('SYN, ECE, CWR');
    expect(tcpFlagsText(0xfff)).toBe('FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved');
    expect(tcpFlagsText(0)).toBe('<None>');
  });
  it('draws bit pictures', () => {
    expect(bitPicture(0xa0, 0xf0, 8)).toBe('1010 ....');
    expect(bitPicture(0x012, 0xe00, 12)).toBe('000. .... ....');
    expect(bitPicture(0x012, 0x010, 12)).toBe('.... ...1 ....');
  });
  it('describes completeness', () => {
    expect(completenessText(15)).toBe('Incomplete, DATA (15)');
    expect(completenessText(31)).toBe('Complete, WITH_DATA (31)');
    expect(completenessText(0)).toBe('Incomplete (0)');
  });
});

describe('tcp header and options (no tracker: raw numbers)', () => {
  it('decodes a SYN with MSS, SACK_PERM, timestamps and window scale', () => {
    // tcpdump/tcp-handshake-nano.pcap frame 1
    const r = runTcp(hex('b64000502f842acb00000000a0026a4050c40000020405500402080a436a03620000000001030307'));
    expect(r.error).toBeNull();
    expect(r.ctx.info).toBe('46656 → 80 [SYN] Seq=797190859 Win=27200 Len=0 MSS=1360 SACK_PERM TSval=1131021154 TSecr=0 WS=128');
    expect(r.field('tcp.srcport')).toBe('46656');
    expect(r.field('tcp.port')).toBe('46656,80');
    expect(r.field('tcp.seq_raw')).toBe('797190859');
    expect(r.field('tcp.hdr_len')).toBe('40');
    expect(r.field('tcp.flags')).toBe('0x0002');
    expect(r.field('tcp.flags.str')).toBe('··········S·');
    expect(r.field('tcp.options')).toBe('020405500402080a436a03620000000001030307');
    expect(r.field('tcp.option_kind')).toBe('2,4,8,1,3');
    expect(r.field('tcp.option_len')).toBe('4,2,10,3');
    expect(r.field('tcp.options.mss_val')).toBe('1360');
    expect(r.field('tcp.options.sack_perm')).toBe('0402');
    expect(r.field('tcp.options.wscale.shift')).toBe('7');
    expect(r.field('tcp.options.wscale.multiplier')).toBe('128');
    expect(r.field('tcp.options.timestamp.tsval')).toBe('1131021154');
    expect(r.field('tcp.options.timestamp.tsecr')).toBe('0');
    expect(r.field('tcp.checksum')).toBe('0x50c4');
    expect(r.field('tcp.checksum.status')).toBe('2');
    expect(r.field('tcp.len')).toBe('0');
    expect(r.field('tcp.stream')).toBe('');
    expect(r.ctx.protocol).toBe('TCP');
  });

  it('decodes a SYN-ACK (options in packet order)', () => {
    // tcpdump/tcp-handshake-nano.pcap frame 2
    const r = runTcp(hex('0050b640b7839f902f842acca012200086480000020405a0010303080402080a0df5af50436a0362'));
    expect(r.ctx.info).toBe('80 → 46656 [SYN, ACK] Seq=3078856592 Ack=797190860 Win=8192 Len=0 MSS=1440 WS=256 SACK_PERM TSval=234205008 TSecr=1131021154');
  });

  it('shows SACK blocks and EOL padding', () => {
    // zeek/tcp/option-sack.pcap frame 1
    const r = runTcp(hex('001400500000000000000000800220005c550000050a00000001000000100000'));
    expect(r.ctx.info).toBe('20 → 80 [SYN] Seq=0 Win=8192 Len=0 SLE=1 SRE=16');
    expect(r.field('tcp.option_kind')).toBe('5,0,0');
    expect(r.field('tcp.options.sack_le')).toBe('1');
    expect(r.field('tcp.options.sack_re')).toBe('16');
    expect(r.field('tcp.options.sack.count')).toBe('1');
  });

  it('gives up on a header length below 20 like tshark', () => {
    // Crafted (text2pcap) header with data offset 4; tshark prints this Info and no malformed.
    const r = runTcp(hex('c20761b65744505b4da490b940120891bbe7e00a'), { reportedLength: 20 });
    expect(r.error).toBeNull();
    expect(r.ctx.info).toBe('49671 → 25014 [SYN, ACK] Seq=1464094811 Ack=1302630585 Win=2193, bogus TCP header length (16, must be at least 20)');
    expect(r.field('tcp.hdr_len')).toBe('16');
    expect(r.field('tcp.len')).toBe('4');
    expect(r.field('tcp.seq_raw')).toBe('');
  });

  it('reports a header longer than the segment as malformed', () => {
    // pcapplusplus/tcp-malformed.pcap frame 1: 28-byte header in a 20-byte IP payload.
    const bytes = hex('c20761b65744505b4da490b970100891bbe7e00a000000000000');
    const r = runTcp(bytes, { reportedLength: 20 });
    expect(r.error).toBe('malformed');
    expect(r.ctx.info).toBe('49671 → 25014 [ACK] Seq=1464094811 Ack=1302630585 Win=2193');
    expect(r.field('tcp.hdr_len')).toBe('28');
  });

  it('keeps options before a truncation', () => {
    // zeek/tcp/truncated-header.pcap frame 1: a timestamps option of length 8, then the cut.
    const r = runTcp(hex('ed9b00193e1775de00000000a0c216d090d60000020405b404020808000000010000'), { reportedLength: 40 });
    expect(r.error).toBe('truncated');
    expect(r.ctx.info).toBe('60827 → 25 [SYN, ECE, CWR] Seq=1041724894 Win=5840 Len=0 MSS=1460 SACK_PERM');
    expect(r.ctx.expert.some((e) => e.message === 'option length should be 10')).toBe(true);
  });

  it('hands payload to data when no port or heuristic claims it', () => {
    const r = runTcp(hex('c3500d05000000010000000250180100abcd0000414243'));
    expect(r.ctx.info).toBe('50000 → 3333 [PSH, ACK] Seq=1 Ack=2 Win=256 Len=3');
    expect(r.field('tcp.payload')).toBe('414243');
    expect(r.ctx.layers).toEqual(['tcp', 'tcp', 'data']);
  });
});

describe('tcp with a tracker', () => {
  it('prints relative numbers, the analysis prefix and generated fields from the verdict', () => {
    const capture = new CaptureState();
    const seen: number[] = [];
    const analyzer: TcpAnalyzer = {
      analyze(facts) {
        seen.push(facts.frame);
        return {
          stream: 3, seq: 1, nxtseq: 4, ack: 1, hasAck: true, windowSize: 256 * 128, windowScaleFactor: 128,
          flags: { retransmission: true }, timeRelative: 0.5, timeDelta: 0.25, completeness: 15, closing: 0, ace: false,
          infoPrefix: '[TCP Retransmission] ', bytesInFlight: 3, emptyAnalysis: false,
        };
      },
    };
    attachTcpAnalyzer(capture, analyzer);
    const r = runTcp(hex('c3500d05000000010000000250180100abcd0000414243'), { capture, number: 7 });
    expect(seen).toEqual([7]);
    expect(r.ctx.info).toBe('[TCP Retransmission] 50000 → 3333 [PSH, ACK] Seq=1 Ack=1 Win=32768 Len=3');
    expect(r.field('tcp.stream')).toBe('3');
    expect(r.field('tcp.seq')).toBe('1');
    expect(r.field('tcp.seq_raw')).toBe('1');
    expect(r.field('tcp.window_size')).toBe('32768');
    expect(r.field('tcp.window_size_scalefactor')).toBe('128');
    expect(r.field('tcp.analysis.bytes_in_flight')).toBe('3');
    expect(r.field('tcp.time_delta')).toBe('0.250000000');
    expect(r.ctx.expert.some((e) => e.message === 'This frame is a (suspected) retransmission')).toBe(true);
  });
});
