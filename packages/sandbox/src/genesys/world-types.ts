/** Media of a sandbox interaction: a voice call or a web-messaging conversation. */
export type Media = 'call' | 'message';

/** Participant purposes the sandbox creates (docs/genesys-protocol.md#participants). */
export type Purpose = 'customer' | 'ivr' | 'acd' | 'agent';

/** Communication states the sandbox uses (a subset of docs/genesys-protocol.md#media-sessions). */
export type CommState = 'alerting' | 'connected' | 'disconnected' | 'terminated';

/** One participant of a sandbox conversation, with its single media session. */
export interface WorldParticipant {
  id: string;
  purpose: Purpose;
  name?: string;
  userId?: string;
  queueId?: string;
  queueName?: string;
  address?: string;
  ani?: string;
  dnis?: string;
  startTime: string;
  connectedTime?: string;
  endTime?: string;
  /** Id of the participant's media session (`calls[0].id` / `messages[0].id`): the communication id. */
  sessionId: string;
  state: CommState;
  initialState: CommState;
  direction: 'inbound' | 'outbound';
  disconnectType?: string;
  held: boolean;
  startHoldTime?: string;
  confined: boolean;
  consultParticipantId?: string;
  wrapupRequired: boolean;
  peerId?: string;
  attributes: Record<string, string>;
}

/** A stored web message (the text lives only here, never in events). */
export interface WorldMessage {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  text: string;
  timestamp: string;
  /** The participant whose session sent it. */
  fromParticipantId: string;
}

/** One line of a scripted transcript. */
export interface ScriptLine {
  channel: 'EXTERNAL' | 'INTERNAL';
  text: string;
  partials?: boolean;
}

/** What `transcribe` published: every utterance id, and those whose final result reached no notification socket. */
export interface TranscribeResult {
  utteranceIds: string[];
  undelivered: string[];
}

/** A transfer record as in `recentTransfers[]`. */
export interface WorldTransfer {
  id: string;
  state: 'Complete';
  dateIssued: string;
  initiatorUserId: string;
  destinationUserId: string;
  transferType: 'Unattended' | 'Attended';
}

/** A sandbox conversation. */
export interface WorldConversation {
  id: string;
  /** The organisation the conversation belongs to (seed.ts ORG, or OTHER_ORG): only its users see it. */
  orgId: string;
  media: Media;
  queueId: string;
  queueName: string;
  customerName: string;
  startTime: string;
  endTime?: string;
  participants: WorldParticipant[];
  messages: WorldMessage[];
  script: ScriptLine[];
  recentTransfers: WorldTransfer[];
}
