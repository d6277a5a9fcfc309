// mqtt-packet's own Packet class and property tables, which its package entry does not export;
// publish-parser.ts builds its packets with them, so both decoders name and shape them alike.
declare module 'mqtt-packet/packet.js' {
  const Packet: new () => Record<string, unknown>
  export default Packet
}

declare module 'mqtt-packet/constants.js' {
  const constants: {
    propertiesCodes: Record<number, string | undefined>
    propertiesTypes: Record<string, string | undefined>
  }
  export default constants
}
