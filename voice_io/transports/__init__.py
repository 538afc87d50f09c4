"""Transports beyond the browser WebSocket: Twilio Media Streams (phone) and WebRTC (aiortc).

Each implements the session's transport seam; none imports graph, storage or voice_agent.
"""
