// POP as tshark 4.0 shows it: "C: USER bob" / "S: +OK ..." in Info, the request command and
// parameter, the response indicator and description, the further lines of a multi-line response
// (CAPA, LIST, UIDL) as data lines, and server text that is no response (a RETR's message, a SASL
// challenge) as an empty POP item whose bytes go to IMF. IMF's own items and columns are compared
// by its own tests (the packets tshark shows with IMF are left out of the column comparison here).
import { describe, it } from 'vitest';
import { corpusPath } from './helpers/corpus.js';
import { expectLikeTshark, type TextProtocolCheck } from './helpers/text-protocol-diff.js';

const POP: TextProtocolCheck = {
  titles: ['Post Office Protocol'],
  fields: ['pop.request', 'pop.request.command', 'pop.request.parameter', 'pop.response', 'pop.response.indicator', 'pop.response.description', 'pop.response.data'],
  filters: ['pop', 'pop.request.command == "RETR"', 'pop.response.indicator == "-ERR"', 'pop.response.data'],
  handsTo: 'imf',
};

describe('read: POP as tshark shows it', () => {
  it('zeek/pop3/pop3.pcap', () => expectLikeTshark(corpusPath('zeek/pop3/pop3.pcap'), POP, 60));
});
