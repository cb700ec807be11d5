/// The hardware inventory a simulated device reports through the CIM hardware classes
/// (`CIM_Chassis`, `CIM_Card`, `CIM_BIOSElement`, `CIM_Processor`, `CIM_Chip`,
/// `CIM_PhysicalMemory`, `CIM_MediaAccessDevice`).
public struct FirmwareHardwareInfo: Sendable, Equatable {
    /// One memory module (`CIM_PhysicalMemory`).
    public struct MemoryModule: Sendable, Equatable {
        public var bankLabel: String
        public var capacityBytes: UInt64
        public var speedMHz: Int
        public var manufacturer: String
        public var partNumber: String
        public var serialNumber: String

        /// Creates a module.
        public init(bankLabel: String, capacityBytes: UInt64, speedMHz: Int, manufacturer: String,
                    partNumber: String, serialNumber: String) {
            self.bankLabel = bankLabel
            self.capacityBytes = capacityBytes
            self.speedMHz = speedMHz
            self.manufacturer = manufacturer
            self.partNumber = partNumber
            self.serialNumber = serialNumber
        }
    }

    public var chassisManufacturer: String
    public var chassisModel: String
    public var chassisSerialNumber: String
    public var chassisVersion: String
    public var boardManufacturer: String
    public var boardModel: String
    public var boardSerialNumber: String
    public var boardVersion: String
    public var biosManufacturer: String
    public var biosVersion: String
    /// `YYYY-MM-DDT00:00:00Z`.
    public var biosReleaseDate: String
    /// The processor brand string (`CIM_Chip.Version`).
    public var processorName: String
    public var processorFamily: Int
    public var processorCurrentClockMHz: Int
    public var processorMaxClockMHz: Int
    public var memory: [MemoryModule]
    /// Sizes of the storage devices (`CIM_MediaAccessDevice.MaxMediaSize`, in KB).
    public var mediaSizesKB: [UInt64]

    /// Creates an inventory.
    public init(
        chassisManufacturer: String, chassisModel: String, chassisSerialNumber: String, chassisVersion: String,
        boardManufacturer: String, boardModel: String, boardSerialNumber: String, boardVersion: String,
        biosManufacturer: String, biosVersion: String, biosReleaseDate: String,
        processorName: String, processorFamily: Int, processorCurrentClockMHz: Int, processorMaxClockMHz: Int,
        memory: [MemoryModule], mediaSizesKB: [UInt64]
    ) {
        self.chassisManufacturer = chassisManufacturer
        self.chassisModel = chassisModel
        self.chassisSerialNumber = chassisSerialNumber
        self.chassisVersion = chassisVersion
        self.boardManufacturer = boardManufacturer
        self.boardModel = boardModel
        self.boardSerialNumber = boardSerialNumber
        self.boardVersion = boardVersion
        self.biosManufacturer = biosManufacturer
        self.biosVersion = biosVersion
        self.biosReleaseDate = biosReleaseDate
        self.processorName = processorName
        self.processorFamily = processorFamily
        self.processorCurrentClockMHz = processorCurrentClockMHz
        self.processorMaxClockMHz = processorMaxClockMHz
        self.memory = memory
        self.mediaSizesKB = mediaSizesKB
    }
}
